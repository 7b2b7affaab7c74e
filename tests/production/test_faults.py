"""The stores fail under a running production server: a clear answer, nothing lost or doubled.

* PostgreSQL drops every connection of the tracker database (what a restart does to the
  clients): the next message works and every event is there, in order.
* The Redis lock store dies (a redis-server of this test, killed with SIGKILL): messages
  get a 503 with the apology and the clinic's phone within 5 s and are not processed
  (no turn without its lock); once Redis is back, the conversation goes on.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from bench import databases
from bot.clinic import load_clinic
from bot.harness.stack import RunningStack, free_port
from tests.production.conftest import (
    _admin_connection,
    production_env,
    skip_loudly,
)
from tests.support.rest import timed_say, user_texts

REPLY_WITHIN_S = 5.0
APOLOGY = "technical problem"


class RedisServer:
    """A redis-server of the test's own on a free port, so killing it harms nobody."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            skip_loudly("redis-server is not installed: the Redis fault test cannot run")
        self.binary = binary
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.2)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory, postgres_server):
    redis_server = RedisServer().start()
    database = databases.create(postgres_server, prefix="backchat_test")
    env = production_env(database, redis_server.url, f"bcfault{uuid.uuid4().hex[:8]}")
    stack = RunningStack(
        tmp_path_factory.mktemp("faults"), env=env, only="actions,rasa",
        token=env["BACKCHAT_API_TOKEN"],
    ).start(timeout_s=300)  # fmt: skip
    yield stack, redis_server, database
    stack.stop()
    if redis_server.process.poll() is None:
        redis_server.kill()
    databases.drop(database)


def test_the_database_dropping_every_connection_loses_nothing(faulty):
    stack, _, database = faulty
    sender = f"db-restart-{uuid.uuid4().hex[:8]}"
    for text in ("hi", "my lower back hurts"):
        assert timed_say(stack, sender, text)[0] == 200
    name = database.rsplit("/", 1)[1]
    connection = _admin_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        (terminated,) = cursor.fetchone()
    finally:
        connection.close()
    assert terminated >= 1, "Rasa's pooled connections were cut"

    status, replies, _ = timed_say(stack, sender, "for about two weeks")
    assert status == 200 and replies and not any(APOLOGY in r for r in replies), replies
    assert user_texts(stack, sender) == ["hi", "my lower back hurts", "for about two weeks"]
    events = stack.tracker(sender)["events"]
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "events in order"


def test_redis_down_gets_a_503_with_the_apology_and_no_processing(faulty):
    stack, redis_server, _ = faulty
    sender = f"redis-down-{uuid.uuid4().hex[:8]}"
    assert timed_say(stack, sender, "hi")[0] == 200
    redis_server.kill()
    try:
        status, replies, took = timed_say(stack, sender, "my lower back hurts")
        assert status == 503
        assert took < REPLY_WITHIN_S, f"the visitor waited {took:.1f} s"
        assert replies and APOLOGY in replies[0] and load_clinic().phone in replies[0]
        assert user_texts(stack, sender) == ["hi"], "nothing was processed without the lock"
    finally:
        redis_server.start()
    status, replies, _ = timed_say(stack, sender, "my lower back hurts")
    assert status == 200 and replies and not any(APOLOGY in r for r in replies), replies
    assert user_texts(stack, sender) == ["hi", "my lower back hurts"]
