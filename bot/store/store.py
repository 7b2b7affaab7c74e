"""Store: the tracker database (Rasa's events) and the staff database, with their tables."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import make_engine, same_database
from .events import events_table
from .migrate import migrate
from .schema import staff_tables


@dataclass
class Store:
    """Engines and table definitions; the modules of bot.store are functions over it.

    ``tracker`` reads (and, for retention, deletes) Rasa's events; ``staff`` holds the
    staff tables. They are one engine when both URLs name the same database.
    """

    tracker: Engine
    staff: Engine
    events: sa.Table
    tables: dict[str, sa.Table]
    low_confidence: float = 0.6
    refresh_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def shared(self) -> bool:
        return same_database(self.tracker, self.staff)

    def t(self, name: str) -> sa.Table:
        return self.tables[name]

    def migrate(self) -> list[str]:
        """Staff schema steps, then old platform conversation ids into their namespace."""
        from .sender_ids import namespace_stored_ids

        applied = migrate(self.staff, self.tables)
        renamed = namespace_stored_ids(self)
        if renamed.conversations:
            applied.append(f"{len(renamed.conversations)} conversation id(s) namespaced")
        if renamed.skipped:
            applied.append(f"{len(renamed.skipped)} conversation id(s) left: new id in use")
        return applied

    def dispose(self) -> None:
        self.tracker.dispose()
        if self.staff is not self.tracker:
            self.staff.dispose()


def open_store(
    tracker_url: str, staff_url: str | None = None, *, low_confidence: float = 0.6
) -> Store:
    """A Store over the two URLs (``staff_url`` defaults to the tracker's database)."""
    tracker = make_engine(tracker_url)
    staff = tracker if not staff_url or staff_url == tracker_url else make_engine(staff_url)
    return Store(
        tracker=tracker,
        staff=staff,
        events=events_table(sa.MetaData()),
        tables=staff_tables(sa.MetaData()),
        low_confidence=low_confidence,
    )
