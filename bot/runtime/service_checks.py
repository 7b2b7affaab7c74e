"""Wait, for a bounded time, until PostgreSQL, Redis and RabbitMQ answer; else say which not.

Rasa 3.6's SQL tracker store retries a database that does not answer forever (every 5 s,
``SQLTrackerStore.__init__``). BackChat checks each service it needs before it starts
Rasa (``bot.runtime.stack``) and again inside Rasa's stores (``bot.rasa_ext.tracker_store``,
``bot.rasa_ext.lock_store``), and gives up after ``BACKCHAT_CONNECT_TIMEOUT_S`` (default 15 s)
with a message that names the service, where it was looked for and the last error.
``python -m bot.runtime.preflight`` runs the current profile's checks alone.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.runtime.env import env_float

DEFAULT_CONNECT_TIMEOUT_S = 15.0
MAX_CONNECT_TIMEOUT_S = 28.0  # the whole start must fail within 30 s
RETRY_EVERY_S = 1.0
TIMEOUT_ENV = "BACKCHAT_CONNECT_TIMEOUT_S"


class Unreachable(RuntimeError):
    """A service did not answer before the deadline."""


@dataclass(frozen=True)
class Check:
    """One service to reach: a name for people, where it is, and how to try once."""

    service: str
    where: str
    attempt: Callable[[float], None]  # raises on failure; argument: seconds it may take
    hint: str = ""


def connect_timeout_s(env: Mapping[str, str] | None = None) -> float:
    """BACKCHAT_CONNECT_TIMEOUT_S (1 to 28 s), default 15 s: with Rasa's own start, under 30 s."""
    env = os.environ if env is None else env
    return env_float(env, TIMEOUT_ENV, DEFAULT_CONNECT_TIMEOUT_S, 1, MAX_CONNECT_TIMEOUT_S)


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


def wait_for(check: Check, timeout_s: float) -> float:
    """Retry ``check`` until it succeeds (returns seconds waited) or raise Unreachable."""
    started = time.monotonic()
    deadline = started + timeout_s
    while True:
        left = deadline - time.monotonic()
        try:
            check.attempt(max(1.0, min(5.0, left)))
            return time.monotonic() - started
        except Exception as error:  # any failure to connect counts the same
            last = error
        left = deadline - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(RETRY_EVERY_S, left))
    waited = time.monotonic() - started
    hint = f" ({check.hint})" if check.hint else ""
    raise Unreachable(
        f"{check.service} at {check.where} is unreachable after {waited:.0f} s: "
        f"{_describe(last)}{hint}"
    )


def wait_for_all(checks: list[Check], timeout_s: float) -> None:
    """Run the checks one after the other within one shared deadline."""
    deadline = time.monotonic() + timeout_s
    for check in checks:
        wait_for(check, max(1.0, deadline - time.monotonic()))


# ---------------------------------------------------------------------------- services


def database_check(url, hint: str = "") -> Check:
    """Connect and run ``SELECT 1`` (SQLAlchemy URL or string)."""
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"
    name = "PostgreSQL" if parsed.get_backend_name() == "postgresql" else parsed.drivername

    def attempt(timeout_s: float) -> None:
        args = {"connect_timeout": max(1, int(timeout_s))} if name == "PostgreSQL" else {}
        engine = sa.create_engine(parsed, connect_args=args, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()

    return Check(name, where, attempt, hint)


def redis_check(client, hint: str = "") -> Check:
    """PING with a redis-py client (its own socket timeout applies)."""
    kwargs = client.connection_pool.connection_kwargs
    where = f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"

    def attempt(_timeout_s: float) -> None:
        client.ping()

    return Check("Redis", where, attempt, hint)


def tcp_check(service: str, url: str, default_port: int, hint: str = "") -> Check:
    """Open a TCP connection to the host and port of ``url`` (e.g. amqp://host:5672)."""
    parts = urlsplit(url if "://" in url else f"tcp://{url}")
    host, port = parts.hostname or "localhost", parts.port or default_port

    def attempt(timeout_s: float) -> None:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass

    return Check(service, f"{host}:{port}", attempt, hint)
