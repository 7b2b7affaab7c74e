"""The atomic Redis lock store against the real Redis: tickets from many clients at once."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest

from bot.harness.stack import free_port
from bot.rasa_ext.lock_store import AtomicRedisLockStore
from bot.runtime.service_checks import Unreachable


@pytest.fixture
def stores(redis_url, key_prefix):
    """Eight lock stores, as eight Rasa processes would have, on one Redis."""
    return [AtomicRedisLockStore(url=redis_url, key_prefix=key_prefix) for _ in range(8)]


def test_tickets_issued_by_many_processes_at_once_are_all_distinct(stores):
    conversation = uuid.uuid4().hex
    issued, barrier = [], threading.Barrier(len(stores))

    def issue(store):
        barrier.wait()
        for _ in range(25):
            issued.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(len(stores) * 25))
    assert len(stores[0].get_lock(conversation).tickets) == len(issued)
    for number in issued:
        stores[number % len(stores)].cleanup(conversation, number)
    assert stores[0].get_lock(conversation) is None


def test_the_lock_serialises_one_conversation_across_processes(stores):
    conversation, inside, overlaps = uuid.uuid4().hex, [], []

    async def handle(store, index):
        async with store.lock(conversation):
            inside.append(index)
            if len(inside) > 1:
                overlaps.append(list(inside))
            await asyncio.sleep(0.02)
            inside.remove(index)

    async def main():
        await asyncio.gather(*[handle(s, i) for i, s in enumerate(stores * 3)])

    asyncio.run(main())
    assert overlaps == []
    assert stores[0].get_lock(conversation) is None


def test_a_redis_that_does_not_answer_fails_the_start_quickly():
    with pytest.raises(Unreachable, match=r"Redis at 127\.0\.0\.1:\d+/1 is unreachable"):
        AtomicRedisLockStore(url=f"redis://127.0.0.1:{free_port()}/1", connect_timeout_s=2)
