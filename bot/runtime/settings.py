"""Run-time settings from the environment (ports, state folder, API token)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.runtime.env import SettingsError, env_int
from bot.runtime.private_files import load_or_create_secret

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PORTS = {"rasa": 5005, "actions": 5055, "web": 8000}
TOKEN_FILE_NAME = "api-token"
API_TOKEN_ENV = "BACKCHAT_API_TOKEN"
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class Settings:
    """Where each server listens and where state is kept."""

    rasa_port: int
    actions_port: int
    web_port: int
    host: str
    var_dir: Path
    trusted_proxies: int = 0  # reverse proxies in front that append to X-Forwarded-For

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "tracker.db"

    def child_environment(self, base: Mapping[str, str]) -> dict:
        """Environment for the child processes (endpoints.yml reads these).

        One BLAS thread per process unless the operator set otherwise: the servers are
        several processes on few cores, and OpenBLAS's extra threads spin between the
        sentence encoder's small products, taking a core from the others.
        """
        env = dict(base)
        for variable in BLAS_THREAD_VARIABLES:
            env.setdefault(variable, "1")
        env.update(
            BACKCHAT_RASA_PORT=str(self.rasa_port),
            BACKCHAT_ACTIONS_PORT=str(self.actions_port),
            BACKCHAT_WEB_PORT=str(self.web_port),
            BACKCHAT_HOST=self.host,
            BACKCHAT_VAR_DIR=str(self.var_dir),
        )
        if self.trusted_proxies:
            # Sanic (Rasa and the web app) then takes the client's address and scheme from
            # the proxies' X-Forwarded-For / X-Forwarded-Proto: per-address limits and
            # Secure cookies work behind nginx.
            env["SANIC_PROXIES_COUNT"] = str(self.trusted_proxies)
        return env


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read BACKCHAT_* variables, falling back to the documented defaults."""
    env = os.environ if env is None else env
    ports = {
        name: env_int(env, f"BACKCHAT_{name.upper()}_PORT", default, 1, 65535)
        for name, default in DEFAULT_PORTS.items()
    }
    if len(set(ports.values())) != 3:
        raise SettingsError(f"the three ports must differ, got {ports}")
    var_dir = Path(env.get("BACKCHAT_VAR_DIR") or PROJECT_ROOT / "var").resolve()
    return Settings(
        rasa_port=ports["rasa"],
        actions_port=ports["actions"],
        web_port=ports["web"],
        host=env.get("BACKCHAT_HOST") or "127.0.0.1",
        var_dir=var_dir,
        trusted_proxies=env_int(env, "BACKCHAT_TRUSTED_PROXIES", 0, 0, 5),
    )


def api_token(var_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """BACKCHAT_API_TOKEN, else a token generated once into var/api-token (mode 600)."""
    env = os.environ if env is None else env
    if env.get(API_TOKEN_ENV):
        return env[API_TOKEN_ENV]
    return load_or_create_secret(var_dir / TOKEN_FILE_NAME, lambda: secrets.token_urlsafe(32))
