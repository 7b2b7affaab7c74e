"""Deployment profiles, chosen with BACKCHAT_PROFILE: ``embedded`` (default) or ``production``.

| | embedded | production |
|---|---|---|
| endpoints | ``endpoints.yml`` | ``endpoints.production.yml`` |
| tracker store | SQLite in ``$BACKCHAT_VAR_DIR`` | PostgreSQL, ``BACKCHAT_DATABASE_URL`` |
| lock store | in memory (one process) | Redis, ``BACKCHAT_REDIS_URL`` |
| event broker | none | RabbitMQ if ``BACKCHAT_RABBITMQ_URL`` is set |
| Rasa workers | 1 | ``BACKCHAT_RASA_WORKERS`` (Rasa's ``SANIC_WORKERS``) |
| staff app | reads ``var/tracker.db`` | reads the same PostgreSQL database |

Every Rasa server of one deployment, on one machine or many, uses the same
``BACKCHAT_DATABASE_URL`` and ``BACKCHAT_REDIS_URL``: that is all it takes to run several
behind a load balancer (see ``deploy/README.md``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.runtime.env import SettingsError, env_choice, env_int
from bot.runtime.service_checks import Check, database_check, redis_check, tcp_check
from bot.runtime.settings import PROJECT_ROOT, Settings

EMBEDDED, PRODUCTION = "embedded", "production"
ENDPOINTS = {
    EMBEDDED: PROJECT_ROOT / "endpoints.yml",
    PRODUCTION: PROJECT_ROOT / "endpoints.production.yml",
}
BROKER_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.event-broker.yml"
MAX_WORKERS = 16
DEFAULT_KEY_PREFIX = "backchat"
DEFAULT_QUEUE = "backchat_events"


@dataclass(frozen=True)
class Profile:
    """What a profile changes: stores, broker, number of Rasa workers."""

    name: str = EMBEDDED
    rasa_workers: int = 1
    database_url: str | None = None
    redis_url: str | None = None
    redis_key_prefix: str = DEFAULT_KEY_PREFIX
    rabbitmq_url: str | None = None
    rabbitmq_queue: str = DEFAULT_QUEUE
    actions_url: str | None = None

    @property
    def is_production(self) -> bool:
        return self.name == PRODUCTION

    def endpoints_file(self, var_dir: Path) -> Path:
        """The endpoints file Rasa gets; with a broker, written into the state folder."""
        base = ENDPOINTS[self.name]
        if not self.rabbitmq_url:
            return base
        combined = var_dir / "endpoints.production-with-broker.yml"
        var_dir.mkdir(parents=True, exist_ok=True)
        text = base.read_text(encoding="utf-8").rstrip() + "\n\n"
        combined.write_text(text + BROKER_ENDPOINTS.read_text(encoding="utf-8"), "utf-8")
        return combined

    def child_environment(self, settings: Settings) -> dict[str, str]:
        """Variables the production endpoints file and the staff app read."""
        if not self.is_production:
            return {}
        env = {
            "BACKCHAT_PROFILE": self.name,
            "BACKCHAT_DATABASE_URL": self.database_url or "",
            "BACKCHAT_REDIS_URL": self.redis_url or "",
            "BACKCHAT_REDIS_KEY_PREFIX": self.redis_key_prefix,
            "BACKCHAT_ACTIONS_URL": self.actions_url or settings.actions_url,
            # No conversation text in error reports to Rasa's telemetry.
            "RASA_TELEMETRY_ENABLED": "false",
        }
        if self.rabbitmq_url:
            parts = urlsplit(self.rabbitmq_url)
            env.update(
                BACKCHAT_RABBITMQ_URL=self.rabbitmq_url,
                BACKCHAT_RABBITMQ_PORT=str(parts.port or 5672),
                BACKCHAT_RABBITMQ_USER=unquote(parts.username or "guest"),
                BACKCHAT_RABBITMQ_PASSWORD=unquote(parts.password or "guest"),
                BACKCHAT_RABBITMQ_QUEUE=self.rabbitmq_queue,
            )
        return env

    def staff_environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """The staff app reads the tracker store's database unless told otherwise."""
        if not self.is_production or base.get("BACKCHAT_TRACKER_DB_URL"):
            return {}
        return {"BACKCHAT_TRACKER_DB_URL": self.database_url or ""}

    def checks(self) -> list[Check]:
        """What must answer before Rasa starts (nothing for the embedded profile)."""
        if not self.is_production:
            return []
        import redis

        checks = [
            database_check(self.database_url, "check BACKCHAT_DATABASE_URL"),
            redis_check(
                redis.Redis.from_url(self.redis_url, socket_timeout=3, socket_connect_timeout=3),
                "check BACKCHAT_REDIS_URL",
            ),
        ]
        if self.rabbitmq_url:
            checks.append(
                tcp_check("RabbitMQ", self.rabbitmq_url, 5672, "check BACKCHAT_RABBITMQ_URL")
            )
        return checks


def _url(env: Mapping[str, str], name: str, schemes: tuple, example: str) -> str:
    value = env.get(name) or ""
    if not value:
        raise SettingsError(f"BACKCHAT_PROFILE=production needs {name}, e.g. {example}")
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in schemes:
        shown = scheme or value[:20]
        raise SettingsError(f"{name}: expected a {'/'.join(schemes)} URL, got {shown!r}")
    return value


def load_profile(env: Mapping[str, str] | None = None) -> Profile:
    """Read BACKCHAT_PROFILE and, for production, the URLs of the shared services."""
    env = os.environ if env is None else env
    name = env_choice(env, "BACKCHAT_PROFILE", tuple(ENDPOINTS), EMBEDDED)
    workers = env_int(env, "BACKCHAT_RASA_WORKERS", 1, 1, MAX_WORKERS)
    if name == EMBEDDED:
        if workers != 1:
            raise SettingsError(
                "BACKCHAT_RASA_WORKERS: the embedded profile runs one Rasa process (its lock "
                "store is in memory); use BACKCHAT_PROFILE=production for more"
            )
        return Profile()
    prefix = env.get("BACKCHAT_REDIS_KEY_PREFIX") or DEFAULT_KEY_PREFIX
    if not prefix.isalnum():
        raise SettingsError(f"BACKCHAT_REDIS_KEY_PREFIX: letters and digits only, got {prefix!r}")
    rabbitmq = env.get("BACKCHAT_RABBITMQ_URL") or None
    if rabbitmq:
        _url(env, "BACKCHAT_RABBITMQ_URL", ("amqp", "amqps"), "amqp://user:pw@host:5672/")
    return Profile(
        name=PRODUCTION,
        rasa_workers=workers,
        database_url=_url(
            env,
            "BACKCHAT_DATABASE_URL",
            ("postgresql", "postgresql+psycopg2"),
            "postgresql://backchat:secret@db-host:5432/backchat",
        ),
        redis_url=_url(
            env, "BACKCHAT_REDIS_URL", ("redis", "rediss"), "redis://:secret@redis-host:6379/1"
        ),
        redis_key_prefix=prefix,
        rabbitmq_url=rabbitmq,
        rabbitmq_queue=env.get("BACKCHAT_RABBITMQ_QUEUE") or DEFAULT_QUEUE,
        actions_url=(env.get("BACKCHAT_ACTIONS_URL") or "").rstrip("/") or None,
    )
