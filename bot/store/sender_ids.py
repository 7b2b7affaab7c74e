"""Move conversations stored before channel namespaces to their channel's namespace.

Until issue 17, a Twilio, Telegram, Messenger or widget conversation was stored under
the platform's bare id (``+15875550123``, ``whatsapp:+1...``, ``123456``, 32 hex), which a
REST caller could name. Now those channels store ``<channel>:<platform id>``
(bot/channels/namespaces.py). :func:`namespace_stored_ids` renames the old ones:

* in Rasa's events: a conversation whose first user message came through a platform
  channel (the ``input_channel`` Rasa stored with it) gets that channel's prefix. REST
  messages that a caller had slipped into it stay with it (they are part of what
  happened). If the new id already holds events of that same channel (the visitor wrote
  again after the upgrade), the two are merged in order; if it holds other events (a
  REST caller had used that id), the conversation is left as it is and counted as
  ``skipped``;
* in the staff tables (reviews, tags, notes, call-backs): rows of an id that has no
  events left but whose namespaced id has, follow it; the read model of both is folded
  again.

It runs with every staff migration (web app start, every ``backchat`` command) and does
nothing once every id is namespaced. Safe to run twice, and while Rasa runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .events import has_events_table
from .store import Store

PLATFORM_CHANNELS = ("twilio", "telegram", "facebook", "socketio")
STAFF_TABLES = ("reviews", "tags", "notes", "callbacks")
READ_MODEL = ("summary", "search", "fallback_turns", "queue", "fold_state")


@dataclass
class Renamed:
    """Old id -> new id of the conversations moved, and the ids left as they were."""

    conversations: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    staff_rows: int = 0


def _channel(data: str | None) -> str | None:
    try:
        value = json.loads(data or "{}").get("input_channel")
    except (ValueError, AttributeError):
        return None
    return value if value in PLATFORM_CHANNELS else None


def _owners(conn: Connection, events: sa.Table) -> dict[str, str]:
    """Each stored id whose first platform message is not in its channel's namespace."""
    mentions = sa.or_(*[events.c.data.like(f'%"input_channel": "{c}"%') for c in PLATFORM_CHANNELS])
    query = (
        sa.select(events.c.sender_id, events.c.data)
        .where(events.c.type_name == "user", mentions)
        .order_by(events.c.id)
    )
    owners: dict[str, str] = {}
    for sender, data in conn.execute(query):
        if sender in owners:
            continue
        channel = _channel(data)
        if channel:
            owners[sender] = channel
    return {s: c for s, c in owners.items() if not s.startswith(f"{c}:")}


def _channels_of(conn: Connection, events: sa.Table, sender: str) -> set:
    query = sa.select(events.c.data).where(
        events.c.sender_id == sender, events.c.type_name == "user"
    )
    return {
        (json.loads(data or "{}").get("input_channel") if data else None)
        for data in conn.execute(query).scalars()
    }


def rename_events(store: Store) -> Renamed:
    """Rename platform conversations in Rasa's events table (one transaction)."""
    done = Renamed()
    if not has_events_table(store.tracker):
        return done
    events = store.events
    with store.tracker.begin() as conn:
        for old, channel in _owners(conn, events).items():
            new = f"{channel}:{old}"
            existing = _channels_of(conn, events, new)
            if existing and existing != {channel}:
                done.skipped.append(old)
                continue
            conn.execute(events.update().where(events.c.sender_id == old).values(sender_id=new))
            done.conversations[old] = new
    return done


def _staff_moves(store: Store) -> dict[str, str]:
    """Staff-table ids without events whose namespaced id has events."""
    ids: set = set()
    with store.staff.connect() as conn:
        for name in STAFF_TABLES:
            table = store.t(name)
            ids.update(conn.execute(sa.select(table.c.sender_id).distinct()).scalars())
    ids = {i for i in ids if not any(i.startswith(f"{c}:") for c in PLATFORM_CHANNELS)}
    if not ids or not has_events_table(store.tracker):
        return {}
    events = store.events
    candidates = {f"{c}:{i}": i for i in ids for c in PLATFORM_CHANNELS}
    moves: dict[str, str] = {}
    with store.tracker.connect() as conn:
        present = set(
            conn.execute(
                sa.select(events.c.sender_id).distinct().where(events.c.sender_id.in_(ids))
            ).scalars()
        )
        found = conn.execute(
            sa.select(events.c.sender_id).distinct().where(events.c.sender_id.in_(candidates))
        ).scalars()
        for new in found:
            old = candidates[new]
            if old not in present:
                moves[old] = new
    return moves


def _move_staff_rows(conn: Connection, store: Store, old: str, new: str) -> int:
    moved = 0
    reviews, tags = store.t("reviews"), store.t("tags")
    if conn.execute(sa.select(reviews.c.sender_id).where(reviews.c.sender_id == new)).first():
        conn.execute(reviews.delete().where(reviews.c.sender_id == old))
    kept = set(conn.execute(sa.select(tags.c.tag).where(tags.c.sender_id == new)).scalars())
    if kept:
        conn.execute(tags.delete().where(tags.c.sender_id == old, tags.c.tag.in_(kept)))
    for name in STAFF_TABLES:
        table = store.t(name)
        result = conn.execute(table.update().where(table.c.sender_id == old).values(sender_id=new))
        moved += result.rowcount or 0
    return moved


def namespace_stored_ids(store: Store) -> Renamed:
    """Rename old platform conversation ids in the events and the staff tables."""
    from .summary import _fold_all, write_folded

    with store.refresh_lock:
        done = rename_events(store)
        moves = _staff_moves(store)
        moves.update(done.conversations)
        if not moves:
            return done
        with store.staff.begin() as conn:
            for old, new in moves.items():
                done.staff_rows += _move_staff_rows(conn, store, old, new)
                for name in READ_MODEL:
                    if name not in store.tables:  # a read-model table of a newer schema
                        continue
                    table = store.t(name)
                    conn.execute(table.delete().where(table.c.sender_id.in_([old, new])))
            write_folded(conn, store, _fold_all(store, set(moves.values())))
    return done
