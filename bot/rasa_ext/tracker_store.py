"""Rasa's SQL tracker store, failing fast when the database does not answer.

``SQLTrackerStore.__init__`` (Rasa 3.6) retries a database that is down every 5 s, forever,
so a Rasa server with a wrong ``BACKCHAT_DATABASE_URL`` hangs without a word. This subclass
first waits for the database for ``BACKCHAT_CONNECT_TIMEOUT_S`` (default 15 s), then raises
:class:`bot.runtime.service_checks.Unreachable` naming the database; once it answers, Rasa's
own constructor runs unchanged, and its engine is then rebuilt with ``pool_pre_ping`` so
that a database restart between two messages costs nothing.

Rasa's ``save`` counts the conversation's stored events with a query before inserting
the new ones. A tracker this store has just read already says how many there are, so
``save`` of that same tracker object skips the count (one query less per message), and
with an event broker the new events are that tracker's tail, not the difference from
reading the whole conversation again. Any other tracker (a copy, one built elsewhere) is
counted as Rasa does. Everything else (the ``events`` table, the queries, the rows) is
Rasa's. Use it in an endpoints file by module path::

    tracker_store:
      type: bot.rasa_ext.tracker_store.BoundedSQLTrackerStore
      url: ${BACKCHAT_DATABASE_URL}
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from bot.runtime import service_checks


class BoundedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that gives up after a deadline instead of retrying forever."""

    def __init__(
        self,
        domain: Domain | None = None,
        dialect: str = "postgresql",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        login_db: str | None = None,
        query: dict | None = None,
        connect_timeout_s: float | None = None,
        **kwargs: Any,
    ) -> None:
        url = self.get_db_url(
            dialect, host, validate_port(port), db, username, password, login_db, query
        )
        timeout = float(connect_timeout_s) if connect_timeout_s else None
        check = service_checks.database_check(url, "check the tracker store's url")
        service_checks.wait_for(check, timeout or service_checks.connect_timeout_s())
        super().__init__(
            domain, dialect, host, port, db, username, password,
            login_db=login_db, query=query, **kwargs,
        )  # fmt: skip
        self._check_connections_before_use()
        # id(tracker) -> (weak reference to it, events stored for its latest session)
        self._stored_counts: dict[int, Any] = {}

    def _check_connections_before_use(self) -> None:
        """After a database restart the pool holds dead connections; test each one first.

        Rasa creates its engine without ``pool_pre_ping``, so the first write after a
        restart would fail and lose that turn. Same URL and pool settings, plus the ping.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _remember_stored(self, tracker: DialogueStateTracker, count: int) -> None:
        key = id(tracker)
        reference = weakref.ref(tracker, lambda _: self._stored_counts.pop(key, None))
        self._stored_counts[key] = (reference, count)

    def _unstored_events(self, tracker: DialogueStateTracker) -> list | None:
        """This tracker object's events after those it is known to have stored, else None."""
        reference, count = self._stored_counts.get(id(tracker), (None, None))
        if reference is None or reference() is not tracker or count > len(tracker.events):
            return None
        return list(itertools.islice(tracker.events, count, len(tracker.events)))

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's read; remembers how many stored events the latest-session tracker holds."""
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            self._remember_stored(tracker, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's write; afterwards every event of this tracker object is stored."""
        await super().save(tracker)
        self._remember_stored(tracker, len(tracker.events))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publishes the events not stored yet (Rasa reads the conversation again to know)."""
        new_events = self._unstored_events(tracker)
        if self.event_broker is None or new_events is None:
            return await super().stream_events(tracker)
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events not stored yet, without counting them again when already known."""
        new_events = self._unstored_events(tracker)
        if new_events is None:
            return super()._additional_events(session, tracker)
        return iter(new_events)
