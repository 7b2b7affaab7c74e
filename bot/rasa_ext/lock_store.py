"""Rasa's Redis lock store with atomic ticket updates, for several Rasa servers.

Rasa 3.6's ``RedisLockStore`` reads a conversation's ticket lock, changes it in Python and
writes it back. Two servers handling messages of one conversation at the same moment can
both read the same lock: both get the same ticket number (and process the conversation at
once, so events interleave or get lost), or one server's cleanup deletes the other's
ticket (RasaHQ/rasa#9213; the fix, PR #11256, was reverted from Rasa Open Source). This
subclass keeps Rasa's ticket lock and key layout but makes each read-change-write one
Redis transaction (WATCH/MULTI/EXEC, retried when another server changed the key), polls
a busy lock every 0.1 s instead of every second, accepts a ``redis://`` URL, and gives up
starting when Redis does not answer within ``BACKCHAT_CONNECT_TIMEOUT_S``::

    lock_store:
      type: bot.rasa_ext.lock_store.AtomicRedisLockStore
      url: ${BACKCHAT_REDIS_URL}        # or a host name with port/db/password, as Rasa's
      key_prefix: ${BACKCHAT_REDIS_KEY_PREFIX}
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.service_checks import connect_timeout_s, redis_check, wait_for

POLL_INTERVAL_S = 0.1
T = TypeVar("T")


def redis_arguments(url: str | None, **kwargs: Any) -> dict:
    """RedisLockStore's arguments from a ``redis://`` URL (or Rasa's host name form)."""
    if not url or "://" not in url:
        return {"host": url or "localhost", **kwargs}
    from redis.connection import parse_url

    parsed = parse_url(url)
    arguments = {
        key: parsed[key] for key in ("host", "port", "db", "username", "password") if key in parsed
    }
    arguments["use_ssl"] = url.lower().startswith("rediss://")
    return {**kwargs, **arguments}


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are Redis transactions."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs, "url": endpoint_config.url}
        timeout = kwargs.pop("connect_timeout_s", None)
        super().__init__(**redis_arguments(kwargs.pop("url", None), **kwargs))
        check = redis_check(self.red, "check the lock store's url")
        wait_for(check, float(timeout) if timeout else connect_timeout_s())

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock], T], create: bool
    ) -> T | None:
        """Apply ``change`` to the stored lock in one transaction; delete it when empty."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T | None:
            raw = pipe.get(key)
            if raw is None and not create:
                pipe.multi()
                return None
            lock = (
                TicketLock.from_dict(json.loads(raw)) if raw else self.create_lock(conversation_id)
            )
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket atomically (see the parent for the ticket lock itself)."""
        try:
            ticket = self._change(
                conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True
            )
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        assert ticket is not None
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets atomically."""
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets(), create=False)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a ticket atomically; the lock goes when no ticket is left."""
        self._change(
            conversation_id, lambda lock: lock.remove_ticket_for(ticket_number), create=False
        )

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finishing a ticket already deletes an empty lock, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_INTERVAL_S,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's lock, polled every 0.1 s by default instead of every second."""
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
            yield held
