"""Rasa's ``events`` table, as SQLTrackerStore (rasa/core/tracker_store.py) creates it.

The staff app only reads it, except for retention, which deletes a visitor's rows.
The definition is repeated here so the web app need not import Rasa; a test checks it
against Rasa's own ``SQLTrackerStore.SQLEvent``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

EVENTS = "events"


def events_table(metadata: sa.MetaData) -> sa.Table:
    """The table definition (Rasa 3.6), bound to ``metadata``."""
    return sa.Table(
        EVENTS,
        metadata,
        sa.Column("id", sa.Integer, sa.Sequence("events_seq", optional=True), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


@dataclass(frozen=True)
class Event:
    """One row of the events table with its JSON decoded."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: str | None
    action_name: str | None
    data: dict[str, Any]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Event:
        try:
            data = json.loads(row[6]) if row[6] else {}
        except ValueError:
            data = {}
        return cls(
            id=row[0],
            sender_id=row[1],
            type_name=row[2],
            timestamp=float(row[3] or 0.0),
            intent_name=row[4],
            action_name=row[5],
            data=data if isinstance(data, dict) else {},
        )


def has_events_table(engine: Engine) -> bool:
    """False until Rasa has written its first event."""
    return sa.inspect(engine).has_table(EVENTS)


def _columns(table: sa.Table) -> list[sa.Column]:
    c = table.c
    return [c.id, c.sender_id, c.type_name, c.timestamp, c.intent_name, c.action_name, c.data]


def events_of(conn: Connection, table: sa.Table, sender_ids: Iterable[str]) -> Iterator[Event]:
    """Every event of the given senders, by sender and then in the order Rasa wrote them."""
    senders = sorted(set(sender_ids))
    for start in range(0, len(senders), 500):
        chunk = senders[start : start + 500]
        query = (
            sa.select(*_columns(table))
            .where(table.c.sender_id.in_(chunk))
            .order_by(table.c.sender_id, table.c.id)
        )
        for row in conn.execute(query):
            yield Event.from_row(row)


def events_after(conn: Connection, table: sa.Table, sender_id: str, after: int) -> list[Event]:
    """One visitor's events with an id above ``after``, in order."""
    query = (
        sa.select(*_columns(table))
        .where(table.c.sender_id == sender_id, table.c.id > after)
        .order_by(table.c.id)
    )
    return [Event.from_row(row) for row in conn.execute(query)]


def conversation_events(conn: Connection, table: sa.Table, sender_id: str) -> list[Event]:
    """One visitor's events in order."""
    return list(events_of(conn, table, [sender_id]))
