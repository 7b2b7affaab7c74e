"""Unreachable services fail the start within the deadline, naming what is missing."""

import time

import pytest

from bot.harness.stack import free_port
from bot.rasa_ext.lock_store import AtomicRedisLockStore, redis_arguments
from bot.rasa_ext.tracker_store import BoundedSQLTrackerStore
from bot.runtime import service_checks
from bot.runtime.service_checks import Check, Unreachable, connect_timeout_s, wait_for


def test_the_timeout_comes_from_the_environment_within_bounds():
    assert connect_timeout_s({}) == 15.0
    assert connect_timeout_s({"BACKCHAT_CONNECT_TIMEOUT_S": "5"}) == 5.0
    for wrong in ("0", "60", "soon"):
        with pytest.raises(ValueError, match="BACKCHAT_CONNECT_TIMEOUT_S"):
            connect_timeout_s({"BACKCHAT_CONNECT_TIMEOUT_S": wrong})


def test_a_check_is_retried_until_it_passes(monkeypatch):
    monkeypatch.setattr(service_checks, "RETRY_EVERY_S", 0.01)
    attempts = []

    def attempt(_timeout):
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionRefusedError("refused")

    wait_for(Check("Thing", "here:1", attempt), timeout_s=5)
    assert len(attempts) == 3


def test_a_check_that_never_passes_names_the_service_and_the_last_error():
    def attempt(_timeout):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    started = time.monotonic()
    with pytest.raises(Unreachable) as raised:
        wait_for(Check("PostgreSQL", "db:5432/backchat", attempt, "check X"), timeout_s=2)
    assert time.monotonic() - started < 4
    assert str(raised.value).startswith("PostgreSQL at db:5432/backchat is unreachable after 2 s")
    assert "Connection refused" in str(raised.value) and "(check X)" in str(raised.value)


def test_the_tracker_store_gives_up_instead_of_retrying_forever():
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/backchat"
    started = time.monotonic()
    with pytest.raises(Unreachable, match=r"PostgreSQL at 127\.0\.0\.1:\d+/backchat"):
        BoundedSQLTrackerStore(host=url, connect_timeout_s=2)
    assert time.monotonic() - started < 6


def test_the_lock_store_gives_up_when_redis_does_not_answer():
    with pytest.raises(Unreachable, match="Redis at 127.0.0.1"):
        AtomicRedisLockStore(url=f"redis://127.0.0.1:{free_port()}/2", connect_timeout_s=1)


def test_redis_urls_become_rasas_lock_store_arguments():
    assert redis_arguments("redis://:pw@cache:6380/3") == {
        "host": "cache", "port": 6380, "db": 3, "password": "pw", "use_ssl": False,
    }  # fmt: skip
    assert redis_arguments("rediss://cache/0")["use_ssl"] is True
    assert redis_arguments("cache", port=6379, db=1) == {"host": "cache", "port": 6379, "db": 1}
