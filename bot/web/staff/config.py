"""Staff area settings from the environment (no Sanic import: the CLI uses it too).

| variable | default |
|---|---|
| BACKCHAT_TRACKER_DB_URL | SQLite at $BACKCHAT_VAR_DIR/tracker.db (what Rasa writes) |
| BACKCHAT_STAFF_DB_URL | the tracker's database |
| BACKCHAT_STAFF_SECRET | generated once into $BACKCHAT_VAR_DIR/staff-secret (mode 600) |
| BACKCHAT_STAFF_TZ | UTC (days in filters and charts) |
| BACKCHAT_STAFF_RETENTION_DAYS | unset: no automatic purge |
| BACKCHAT_STAFF_LOW_CONFIDENCE | 0.6 (intent confidence under which a turn is flagged) |
| BACKCHAT_STAFF_SESSION_HOURS | 8 |
| BACKCHAT_STAFF_SECURE_COOKIE | auto: Secure when the request came over HTTPS; 1 forces it |
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.runtime.env import SettingsError, env_bool, env_float
from bot.runtime.private_files import load_or_create_secret
from bot.runtime.settings import Settings
from bot.store.db import sqlite_url
from bot.store.throttle import Limits

SECRET_FILE_NAME = "staff-secret"


@dataclass(frozen=True)
class StaffConfig:
    tracker_url: str
    staff_url: str
    secret: bytes = field(repr=False)
    timezone: ZoneInfo
    retention_days: float | None = None
    low_confidence: float = 0.6
    session_hours: float = 8.0
    force_secure_cookie: bool = False
    refresh_interval_s: float = 5.0
    limits: Limits = field(default_factory=Limits)


def staff_secret(var_dir: Path, env: Mapping[str, str]) -> bytes:
    """BACKCHAT_STAFF_SECRET, else a secret generated once into var/staff-secret."""
    if env.get("BACKCHAT_STAFF_SECRET"):
        return env["BACKCHAT_STAFF_SECRET"].encode()
    path = var_dir / SECRET_FILE_NAME
    return load_or_create_secret(path, lambda: secrets.token_urlsafe(48)).encode()


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> StaffConfig:
    env = os.environ if env is None else env
    tracker_url = env.get("BACKCHAT_TRACKER_DB_URL") or sqlite_url(settings.tracker_db)
    zone = env.get("BACKCHAT_STAFF_TZ") or "UTC"
    try:
        timezone = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"BACKCHAT_STAFF_TZ: unknown time zone {zone!r}") from None
    return StaffConfig(
        tracker_url=tracker_url,
        staff_url=env.get("BACKCHAT_STAFF_DB_URL") or tracker_url,
        secret=staff_secret(settings.var_dir, env),
        timezone=timezone,
        retention_days=env_float(env, "BACKCHAT_STAFF_RETENTION_DAYS", None, 1, 36500),
        low_confidence=env_float(env, "BACKCHAT_STAFF_LOW_CONFIDENCE", 0.6, 0, 1),
        session_hours=env_float(env, "BACKCHAT_STAFF_SESSION_HOURS", 8.0, 0.1, 24 * 30),
        force_secure_cookie=env_bool(env, "BACKCHAT_STAFF_SECURE_COOKIE"),
    )
