"""Rasa's SQL tracker store, failing fast when the database does not answer.

``SQLTrackerStore.__init__`` (Rasa 3.6) retries a database that is down every 5 s, forever,
so a Rasa server with a wrong ``BACKCHAT_DATABASE_URL`` hangs without a word. This
subclass first waits for the database for ``BACKCHAT_CONNECT_TIMEOUT_S`` (default 15 s),
then raises :class:`bot.preflight.Unreachable` naming the database; once it answers, Rasa's
own constructor runs unchanged. Everything else (the ``events`` table, reads, writes) is
Rasa's. Use it in an endpoints file by module path::

    tracker_store:
      type: bot.tracker_store.BoundedSQLTrackerStore
      url: ${BACKCHAT_DATABASE_URL}
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.tracker_store import SQLTrackerStore, validate_port
from rasa.shared.core.domain import Domain

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
