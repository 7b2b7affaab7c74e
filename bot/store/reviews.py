"""Staff work on a conversation: mark reviewed, tags, notes."""

from __future__ import annotations

import re
import time
from typing import Any

import sqlalchemy as sa

from . import queue
from .store import Store

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
NOTE_LIMIT = 4000


def normalise_tag(tag: str) -> str:
    """Lower-case, trimmed, 1-40 of a-z 0-9 space _ - (ValueError otherwise)."""
    value = " ".join(tag.strip().lower().split())
    if not TAG_PATTERN.match(value):
        raise ValueError("a tag is 1-40 letters, digits, spaces, '-' or '_'")
    return value


def set_reviewed(store: Store, sender_id: str, by: str, reviewed: bool = True) -> None:
    table = store.t("reviews")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.sender_id == sender_id))
        if reviewed:
            conn.execute(
                table.insert().values(sender_id=sender_id, reviewed_by=by, reviewed_at=time.time())
            )
        queue.sync(conn, store, [sender_id])


def add_tag(store: Store, sender_id: str, tag: str) -> str:
    tag = normalise_tag(tag)
    table = store.t("tags")
    with store.staff.begin() as conn:
        exists = conn.execute(
            sa.select(table.c.tag).where(table.c.sender_id == sender_id, table.c.tag == tag)
        ).first()
        if not exists:
            conn.execute(table.insert().values(sender_id=sender_id, tag=tag))
    return tag


def remove_tag(store: Store, sender_id: str, tag: str) -> None:
    table = store.t("tags")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.sender_id == sender_id, table.c.tag == tag))


def add_note(store: Store, sender_id: str, author: str, body: str) -> int:
    body = body.strip()
    if not body:
        raise ValueError("a note cannot be empty")
    if len(body) > NOTE_LIMIT:
        raise ValueError(f"a note is at most {NOTE_LIMIT} characters")
    table = store.t("notes")
    with store.staff.begin() as conn:
        result = conn.execute(
            table.insert().values(
                sender_id=sender_id, author=author, body=body, created_at=time.time()
            )
        )
        return int(result.inserted_primary_key[0])


def notes_of(store: Store, sender_id: str) -> list[dict[str, Any]]:
    table = store.t("notes")
    query = sa.select(table).where(table.c.sender_id == sender_id).order_by(table.c.id)
    with store.staff.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
