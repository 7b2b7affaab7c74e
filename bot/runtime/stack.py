"""Start the action server, the Rasa server and the web app; stop them together.

``python -m bot.runtime.stack`` is what ``make run`` calls. One Ctrl-C stops all three; if one
of them dies, the others are stopped and the command exits non-zero with the reason.

``BACKCHAT_PROFILE`` picks the stores (:mod:`bot.runtime.profiles`). In the production profile the
stack first checks that PostgreSQL and Redis (and RabbitMQ, if configured) answer and
exits 2 with the reason within 30 s if one does not; Rasa runs ``BACKCHAT_RASA_WORKERS``
Sanic workers, and the stack reports ready once every worker has loaded the model.
It also refuses to start without strong secrets in the environment
(:mod:`bot.runtime.secrets_policy`). ``--only rasa`` (or ``actions``, ``web``, comma-separated)
runs a subset: one server per container, or more Rasa servers beside an existing action
server.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.clinic import load_clinic
from bot.rasa_ext.rasa_server import action_timeout_s
from bot.runtime.env import SettingsError
from bot.runtime.private_files import (
    SecretFileError,
    private_file,
    private_folder,
    private_umask,
)
from bot.runtime.profiles import Profile, load_profile
from bot.runtime.secrets_policy import production_secret_problems
from bot.runtime.service_checks import Unreachable, connect_timeout_s, wait_for_all
from bot.runtime.settings import API_TOKEN_ENV, PROJECT_ROOT, Settings, api_token, load_settings

MODEL_PATH = PROJECT_ROOT / "models" / "current.tar.gz"
READY_TIMEOUT_S = 180.0
STOP_GRACE_S = 10.0
SERVICE_NAMES = ("actions", "rasa", "web")
RASA_READY_LINE = "Rasa server is up and running"  # logged once per Sanic worker
# Sanic closes a connection idle for 5 s, even one whose request has not arrived yet. A
# busy Rasa event loop can take longer than that between connecting to the action server
# and writing the request ("Cannot write to closing transport"), and Rasa then skips the
# action (a slot goes unfilled). Rasa's own server uses 120 s; so does the action server.
ACTIONS_KEEP_ALIVE_S = "120"

# Sanic's REQUEST_MAX_SIZE for Rasa (default 100 MB), as bot.channels.rest.MAX_BODY_BYTES.
RASA_MAX_BODY_BYTES = 1024 * 1024


@dataclass
class Service:
    """One child process and the URL that answers when it is ready.

    With ``ready_line``, the child's output is relayed through this process and the
    service is ready only once that line was printed ``ready_count`` times.
    """

    name: str
    command: list[str]
    health_url: str
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)
    ready_line: str | None = None
    ready_count: int = 0
    ready_seen: int = 0

    def relay(self) -> None:
        """Copy the child's output to ours, counting the ready line."""
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if self.ready_line and self.ready_line in line:
                self.ready_seen += 1
            try:
                sys.stdout.write(line)
                sys.stdout.flush()
            except (OSError, ValueError):
                pass


def services(
    settings: Settings,
    token: str,
    origins: list[str],
    profile: Profile | None = None,
    only: Sequence[str] = SERVICE_NAMES,
) -> list[Service]:
    """The servers of the profile (all three unless ``only`` names fewer)."""
    profile = profile or Profile()
    python = sys.executable
    cors = [settings.web_url, *origins]  # the demo page's own origin, then the clinic's
    endpoints = profile.endpoints_file(settings.var_dir)
    members = [
        Service(
            "actions",
            [python, "-m", "rasa_sdk", "--actions", "actions"]
            + ["--port", str(settings.actions_port)],
            f"{settings.actions_url}/health",
            env={"SANIC_KEEP_ALIVE_TIMEOUT": ACTIONS_KEEP_ALIVE_S},
        ),
        Service(
            "rasa",
            [
                python, "-m", "bot.rasa_ext.rasa_server", "run",
                "--enable-api",  # the token goes by environment, not on the command line
                "--interface", settings.host, "--port", str(settings.rasa_port),
                "--model", str(MODEL_PATH),
                "--endpoints", str(endpoints), "--credentials", "credentials.yml",
                "--cors", *cors,
            ],
            f"{settings.rasa_url}/status?token={token}",
            env={
                "SANIC_WORKERS": str(profile.rasa_workers),
                # Every request body (socket.io long polling too) bounded as REST's: 1 MB.
                "SANIC_REQUEST_MAX_SIZE": str(RASA_MAX_BODY_BYTES),
                API_TOKEN_ENV: token,
            },
            ready_line=RASA_READY_LINE,
            ready_count=profile.rasa_workers,
        ),
        Service(
            "web",
            [python, "-m", "bot.web", "--host", settings.host, "--port", str(settings.web_port)],
            f"{settings.web_url}/healthz",
            env=profile.staff_environment(os.environ),
        ),
    ]  # fmt: skip
    return [member for member in members if member.name in only]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """Owns the child processes."""

    def __init__(self, settings: Settings, members: list[Service], profile: Profile | None = None):
        self.settings = settings
        self.members = members
        self.profile = profile or Profile()

    def start(self) -> None:
        env = self.settings.child_environment(os.environ)
        env.update(self.profile.child_environment(self.settings))
        env.pop("SANIC_WORKERS", None)  # Rasa's only (member.env): Sanic reads SANIC_* into any app
        for member in self.members:
            relay = member.ready_line is not None
            member.process = subprocess.Popen(
                member.command, cwd=PROJECT_ROOT, env={**env, **member.env},
                start_new_session=True, text=True, errors="replace",
                stdout=subprocess.PIPE if relay else None,
                stderr=subprocess.STDOUT if relay else None,
            )  # fmt: skip
            if relay:
                threading.Thread(target=member.relay, daemon=True).start()

    def exited(self) -> Service | None:
        return next((m for m in self.members if m.process and m.process.poll() is not None), None)

    def _ready(self, member: Service) -> bool:
        return member.ready_seen >= member.ready_count and _answers(member.health_url)

    def wait_until_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(self.members)
        while pending:
            dead = self.exited()
            if dead:
                raise RuntimeError(f"{dead.name} exited with status {dead.process.returncode}")
            if time.monotonic() > deadline:
                names = ", ".join(m.name for m in pending)
                raise RuntimeError(f"not ready after {timeout_s:.0f} s: {names}")
            pending = [m for m in pending if not self._ready(m)]
            time.sleep(0.5)

    def stop(self) -> None:
        for member in self.members:
            if member.process and member.process.poll() is None:
                os.killpg(member.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for member in self.members:
            if not member.process:
                continue
            try:
                member.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(member.process.pid, signal.SIGKILL)
                member.process.wait()


def urls(settings: Settings, only: Sequence[str] = SERVICE_NAMES) -> dict[str, str]:
    """What to open once the stack is up."""
    every = {
        "Demo page with the chat widget": ("web", f"{settings.web_url}/"),
        "Chat over HTTP (REST channel)": ("rasa", f"{settings.rasa_url}/webhooks/rest/webhook"),
        "Rasa HTTP API (token in var/api-token)": ("rasa", f"{settings.rasa_url}/"),
        "Action server": ("actions", f"{settings.actions_url}/health"),
    }
    return {label: url for label, (name, url) in every.items() if name in only}


def storage(settings: Settings, profile: Profile) -> str:
    """Where conversations are kept, for people (no password)."""
    if not profile.is_production:
        return str(settings.tracker_db)
    import sqlalchemy as sa

    url = sa.engine.make_url(profile.database_url)
    return f"PostgreSQL {url.host}:{url.port or 5432}/{url.database}"


def parse_only(raw: str | None) -> list[str]:
    """``--only rasa,web`` -> ["rasa", "web"]; unknown names are refused."""
    if not raw:
        return list(SERVICE_NAMES)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = sorted(set(names) - set(SERVICE_NAMES))
    if unknown or not names:
        raise SettingsError(f"--only: expected some of {', '.join(SERVICE_NAMES)}, got {raw!r}")
    return names


def preflight(profile: Profile) -> None:
    """Wait (bounded) until the profile's services answer; raise Unreachable if not."""
    checks = profile.checks()
    if checks:
        names = ", ".join(check.service for check in checks)
        print(f"Checking that {names} answer...", flush=True)
        wait_for_all(checks, connect_timeout_s())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start BackChat's servers together.")
    parser.add_argument("--only", help="comma-separated subset of: actions,rasa,web")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        only = parse_only(args.only)
        settings = load_settings()
        profile = load_profile()
        connect_timeout_s()
        action_timeout_s()  # read by each Rasa process: a bad value stops the start here
    except SettingsError as error:
        print(f"BackChat cannot start: {error}", file=sys.stderr)
        return 2
    if profile.is_production:
        problems = production_secret_problems(os.environ, only)
        if problems:
            print("BackChat cannot start in the production profile:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
    clinic = load_clinic()
    if "rasa" in only and not MODEL_PATH.exists():
        print(
            f"No trained model at {MODEL_PATH}: run `make train` (make run does).", file=sys.stderr
        )
        return 2
    try:
        preflight(profile)
    except Unreachable as error:
        print(f"BackChat cannot start: {error}", file=sys.stderr)
        return 2
    private_umask()  # the servers' files (conversations, secrets, logs) are the owner's
    private_folder(settings.var_dir)
    if not profile.is_production:
        private_file(settings.tracker_db)  # SQLite keeps an existing file's mode
    try:
        token = api_token(settings.var_dir)
    except SecretFileError as error:
        print(f"BackChat cannot start: {error}", file=sys.stderr)
        return 2
    members = services(settings, token, list(clinic.allowed_origins), profile, only)
    stack = Stack(settings, members, profile)
    stopping = False

    def request_stop(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    stack.start()
    try:
        stack.wait_until_ready()
        workers = f", {profile.rasa_workers} Rasa workers" if profile.rasa_workers > 1 else ""
        print(
            f"\nBackChat is up ({time.monotonic() - started:.1f} s, "
            f"{profile.name} profile{workers}). Open:",
            flush=True,
        )
        for label, url in urls(settings, only).items():
            print(f"  {label:42} {url}", flush=True)
        print(f"Conversations are stored in {storage(settings, profile)}. Ctrl-C stops everything.")
        while not stopping:
            dead = stack.exited()
            if dead:
                raise RuntimeError(f"{dead.name} exited with status {dead.process.returncode}")
            time.sleep(0.5)
        print("\nStopping BackChat...", flush=True)
        return 0
    except RuntimeError as error:
        if stopping:
            return 0
        print(f"\nBackChat stopped: {error}. The other servers were stopped too.", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
