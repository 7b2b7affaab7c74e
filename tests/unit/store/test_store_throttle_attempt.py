"""The login throttle counts an attempt and checks the limit in one step, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import throttle
from tests.support.staff import BACKENDS, fresh_store

LIMITS = throttle.Limits(per_name=5, per_address=1000, window_s=60)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def test_parallel_attempts_on_one_name_pass_at_most_the_limit(store):
    def one(n: int) -> throttle.Attempt:
        return throttle.attempt(store, "bob", f"10.0.0.{n}", LIMITS)

    with ThreadPoolExecutor(max_workers=8) as pool:
        attempts = list(pool.map(one, range(40)))
    assert sum(1 for a in attempts if not a.wait) == 5
    assert sum(1 for a in attempts if a.first_refusal) == 1


def test_a_success_removes_its_own_rows_and_the_names_failures(store):
    for _ in range(4):
        assert not throttle.attempt(store, "ann", "10.0.0.1", LIMITS).wait
    ok = throttle.attempt(store, "ann", "10.0.0.1", LIMITS)
    throttle.succeeded(store, "ann", ok.recorded)
    assert not throttle.attempt(store, "ann", "10.0.0.1", LIMITS).wait
    assert throttle.retry_after(store, "ann", "10.0.0.2", LIMITS) == 0
