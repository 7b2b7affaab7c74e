"""The production profile against the real PostgreSQL, Redis (and RabbitMQ) of this machine.

Each run gets its own PostgreSQL database (created through the ``postgres`` maintenance
database, dropped afterwards), its own Redis key prefix and RabbitMQ queue. If a service
does not answer, the tests that need it are skipped with the reason, repeated at the end
of the run. BACKCHAT_TEST_POSTGRES / _REDIS / _RABBITMQ point them elsewhere.
"""

from __future__ import annotations

import os
import socket
import uuid
import warnings
from urllib.parse import urlsplit

import pytest

from bench import databases
from bot.harness.stack import RunningStack, free_port
from bot.runtime.secrets_policy import generated_secrets

POSTGRES = os.environ.get("BACKCHAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BACKCHAT_TEST_REDIS", "redis://127.0.0.1:6379/1")
RABBITMQ = os.environ.get("BACKCHAT_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/")
SKIPPED: list[str] = []


def skip_loudly(reason: str) -> None:
    SKIPPED.append(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    for reason in sorted(set(SKIPPED)):
        terminalreporter.write_line(f"PRODUCTION TESTS SKIPPED: {reason}", red=True, bold=True)


def _admin_connection():
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=3)
    connection.autocommit = True
    return connection


@pytest.fixture(scope="session")
def postgres_server() -> str:
    try:
        _admin_connection().close()
    except Exception as error:
        skip_loudly(f"PostgreSQL unreachable at {POSTGRES}: {error}".strip())
    return POSTGRES


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as error:
        skip_loudly(f"Redis unreachable at {REDIS}: {error}")
    return REDIS


def _rabbitmq_answers() -> bool:
    parts = urlsplit(RABBITMQ)
    try:
        socket.create_connection((parts.hostname, parts.port or 5672), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def rabbitmq_url() -> str:
    if not _rabbitmq_answers():
        skip_loudly(f"RabbitMQ unreachable at {RABBITMQ}: the event broker is not tested")
    return RABBITMQ


@pytest.fixture(scope="session")
def database_url(postgres_server):
    url = databases.create(postgres_server, prefix="backchat_test")
    yield url
    if os.environ.get("BACKCHAT_TEST_KEEP_DATABASE"):
        print(f"\nkept {url}")
    else:
        databases.drop(url)


@pytest.fixture(scope="session")
def key_prefix() -> str:
    return f"bctest{uuid.uuid4().hex[:10]}"


def production_env(database: str, redis: str, prefix: str, **extra: str) -> dict[str, str]:
    """The variables of one production deployment (shared by all its servers)."""
    env = {
        "BACKCHAT_PROFILE": "production",
        "BACKCHAT_DATABASE_URL": database,
        "BACKCHAT_REDIS_URL": redis,
        "BACKCHAT_REDIS_KEY_PREFIX": prefix,
        "BACKCHAT_TRUSTED_PROXIES": "1",  # as docker-compose and Helm: nginx in front
        **generated_secrets(),  # strong and shared, as the profile requires
    }
    env.update(extra)
    return env


class Deployment:
    """Two Rasa servers on different ports sharing PostgreSQL, Redis and one action server."""

    def __init__(self, first: RunningStack, second: RunningStack, env: dict[str, str]):
        self.first, self.second, self.env = first, second, env
        self.queue = env.get("BACKCHAT_RABBITMQ_QUEUE")

    @property
    def rasa_urls(self) -> list[str]:
        return [self.first.rasa_url, self.second.rasa_url]


@pytest.fixture(scope="session")
def deployment(tmp_path_factory, database_url, redis_url, key_prefix):
    """Server A runs actions, Rasa and the web app; server B runs only Rasa."""
    extra = {}
    if _rabbitmq_answers():
        queue = f"backchat_test_{key_prefix}"
        extra = {"BACKCHAT_RABBITMQ_URL": RABBITMQ, "BACKCHAT_RABBITMQ_QUEUE": queue}
    # 200 conversations at once on two cores take far longer than the 4.5 s after which a
    # visitor gets the "taking longer" notice instead of the answer; these tests are about
    # order and completeness under that overload (tests/reliability covers the deadline).
    extra["BACKCHAT_REPLY_DEADLINE_S"] = "60"
    env = production_env(database_url, redis_url, key_prefix, **extra)
    token = env["BACKCHAT_API_TOKEN"]
    first = RunningStack(tmp_path_factory.mktemp("server-a"), env=env, token=token)
    ports = {"rasa": free_port(), "actions": first.ports["actions"], "web": free_port()}
    second = RunningStack(
        tmp_path_factory.mktemp("server-b"), env=env, only="rasa", token=token, ports=ports
    )
    first.start(wait=False)
    second.start(wait=False)
    try:
        first._wait_for("BackChat is up", 300)
        second._wait_for("BackChat is up", 300)
        yield Deployment(first, second, env)
    finally:
        try:
            for stack in (first, second):
                if stack.process and stack.process.poll() is None:
                    stack.stop()
                (stack.var_dir / "stack-output.log").write_text("".join(stack.output))
        finally:
            if extra:
                _delete_queue(extra["BACKCHAT_RABBITMQ_QUEUE"])


def _delete_queue(queue: str) -> None:
    import asyncio

    import aio_pika

    async def delete() -> None:
        connection = await aio_pika.connect(RABBITMQ)
        try:
            channel = await connection.channel()
            await channel.queue_delete(queue)
        finally:
            await connection.close()

    try:
        asyncio.run(delete())
    except Exception as error:  # a leftover queue must not fail the run, but is reported
        warnings.warn(f"RabbitMQ queue {queue} was not deleted: {error!r}", stacklevel=1)
