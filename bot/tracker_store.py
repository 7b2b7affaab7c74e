"""Rasa's SQL tracker store, failing fast when the database does not answer.

``SQLTrackerStore.__init__`` (Rasa 3.6) retries a database that is down every 5 s, forever,
so a Rasa server with a wrong ``BACKCHAT_DATABASE_URL`` hangs without a word. This
subclass first waits for the database for ``BACKCHAT_CONNECT_TIMEOUT_S`` (default 15 s),
then raises :class:`bot.preflight.Unreachable` naming the database; once it answers, Rasa's
own constructor runs unchanged, and its engine is then rebuilt with ``pool_pre_ping`` so
that a database restart between two messages costs nothing. Everything else (the
``events`` table, reads, writes) is Rasa's. Use it in an endpoints file by module path::

    tracker_store:
      type: bot.tracker_store.BoundedSQLTrackerStore
      url: ${BACKCHAT_DATABASE_URL}
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
from rasa.shared.core.domain import Domain
from sqlalchemy.orm import sessionmaker

from bot import preflight


class BoundedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that gives up after a deadline instead of retrying forever."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        dialect: str = "postgresql",
        host: Optional[str] = None,
        port: Optional[int] = None,
        db: str = "rasa.db",
        username: Optional[str] = None,
        password: Optional[str] = None,
        login_db: Optional[str] = None,
        query: Optional[Dict] = None,
        connect_timeout_s: Optional[float] = None,
        **kwargs: Any,
    ) -> None:
        url = self.get_db_url(
            dialect, host, validate_port(port), db, username, password, login_db, query
        )
        timeout = float(connect_timeout_s) if connect_timeout_s else None
        check = preflight.database_check(url, "check the tracker store's url")
        preflight.wait_for(check, timeout or preflight.connect_timeout_s())
        super().__init__(
            domain, dialect, host, port, db, username, password,
            login_db=login_db, query=query, **kwargs,
        )  # fmt: skip
        self._check_connections_before_use()

    def _check_connections_before_use(self) -> None:
        """After a database restart the pool holds dead connections; test each one first.

        Rasa creates its engine without ``pool_pre_ping``, so the first write after a
        restart would fail and lose that turn. Same URL and pool settings, plus the ping.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)
