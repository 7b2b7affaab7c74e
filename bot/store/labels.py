"""Staff corrections: per visitor message (intent, facts, an edited text for export) and
per conversation (the category staff would give), with who made and last changed them.

Values are checked by the caller (bot.review.facts); this module only stores them.
Saving again edits the correction; saving an empty message correction removes it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.review.facts import Fact, from_json, to_json

from . import queue
from .store import Store


@dataclass(frozen=True)
class MessageLabel:
    event_id: int
    sender_id: str
    intent: str | None
    facts: list[Fact]
    text: str | None
    created_by: str
    created_at: float
    updated_by: str
    updated_at: float


@dataclass(frozen=True)
class ConversationLabel:
    sender_id: str
    category: str
    created_by: str
    created_at: float
    updated_by: str
    updated_at: float


def _message(row) -> MessageLabel:
    m = row._mapping
    return MessageLabel(
        event_id=m["event_id"],
        sender_id=m["sender_id"],
        intent=m["intent"],
        facts=from_json(m["facts"]),
        text=m["text"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        updated_by=m["updated_by"],
        updated_at=m["updated_at"],
    )


def _upsert(conn, table: sa.Table, key: dict[str, Any], values: dict[str, Any], by: str) -> str:
    """Insert or update one row; returns 'created' or 'edited'."""
    now = time.time()
    where = [table.c[name] == value for name, value in key.items()]
    changed = conn.execute(
        table.update().where(*where).values(**values, updated_by=by, updated_at=now)
    )
    if changed.rowcount:
        return "edited"
    conn.execute(
        table.insert().values(
            **key, **values, created_by=by, created_at=now, updated_by=by, updated_at=now
        )
    )
    return "created"


def set_message_label(
    store: Store,
    sender_id: str,
    event_id: int,
    by: str,
    intent: str | None,
    facts: Sequence[Fact] = (),
    text: str | None = None,
) -> str:
    """Save (or edit) a message's correction; 'created', 'edited' or 'removed'."""
    table = store.t("message_labels")
    text = (text or "").strip() or None
    with store.staff.begin() as conn:
        if not intent and not facts and not text:
            gone = conn.execute(table.delete().where(table.c.event_id == event_id))
            return "removed" if gone.rowcount else "unchanged"
        values = {"sender_id": sender_id, "intent": intent, "facts": to_json(facts), "text": text}
        return _upsert(conn, table, {"event_id": event_id}, values, by)


def message_labels_of(store: Store, sender_id: str) -> dict[int, MessageLabel]:
    """One conversation's message corrections by event id."""
    table = store.t("message_labels")
    query = sa.select(table).where(table.c.sender_id == sender_id)
    with store.staff.connect() as conn:
        return {row.event_id: _message(row) for row in conn.execute(query)}


def all_message_labels(store: Store) -> list[MessageLabel]:
    table = store.t("message_labels")
    with store.staff.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.sender_id, table.c.event_id))
        return [_message(row) for row in rows]


def set_conversation_label(store: Store, sender_id: str, by: str, category: str) -> str:
    """Save (or edit) the category staff give a conversation; 'created' or 'edited'."""
    table = store.t("conversation_labels")
    with store.staff.begin() as conn:
        done = _upsert(conn, table, {"sender_id": sender_id}, {"category": category}, by)
        queue.sync(conn, store, [sender_id])
        return done


def remove_conversation_label(store: Store, sender_id: str) -> bool:
    table = store.t("conversation_labels")
    with store.staff.begin() as conn:
        gone = conn.execute(table.delete().where(table.c.sender_id == sender_id)).rowcount
        queue.sync(conn, store, [sender_id])
        return bool(gone)


def conversation_label_of(store: Store, sender_id: str) -> ConversationLabel | None:
    table = store.t("conversation_labels")
    with store.staff.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.sender_id == sender_id)).first()
    return ConversationLabel(**row._mapping) if row else None


def all_conversation_labels(store: Store) -> list[ConversationLabel]:
    table = store.t("conversation_labels")
    with store.staff.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.sender_id))
        return [ConversationLabel(**row._mapping) for row in rows]
