"""Retention: purge conversations older than N days, or everything about one visitor.

Deletes the visitor's rows in Rasa's events table and in every staff table keyed by
sender_id (read model, reviews, tags, notes, call-backs). The audit log keeps only the
fact that it happened. SQLite reuses the highest row ids after a delete, so the read
model's watermark is lowered to the highest id left.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import List, Optional, Sequence

import sqlalchemy as sa

from . import state
from .events import has_events_table
from .schema import VISITOR_TABLES
from .store import Store
from .summary import WATERMARK

DAY_S = 86_400
CHUNK = 500


@dataclass
class Deleted:
    conversations: int = 0
    events: int = 0


def _delete_senders(store: Store, senders: Sequence[str], cutoff: Optional[float]) -> Deleted:
    """Delete these senders (only those with no event at or after ``cutoff``, if given)."""
    done = Deleted()
    events = store.events
    with store.tracker.begin() as conn:
        keep: set = set()
        if cutoff is not None:
            newest = (
                sa.select(events.c.sender_id)
                .where(events.c.sender_id.in_(senders))
                .group_by(events.c.sender_id)
                .having(sa.func.max(events.c.timestamp) >= cutoff)
            )
            keep = set(conn.execute(newest).scalars())
        gone = [s for s in senders if s not in keep]
        if gone:
            result = conn.execute(events.delete().where(events.c.sender_id.in_(gone)))
            done.events = result.rowcount or 0
        highest = conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0
    with store.staff.begin() as conn:
        for name in VISITOR_TABLES:
            table = store.t(name)
            if gone:
                conn.execute(table.delete().where(table.c.sender_id.in_(gone)))
        mark = state.get(conn, store.t("state"), WATERMARK)
        if mark is not None and int(mark) > highest:
            state.put(conn, store.t("state"), WATERMARK, str(highest))
    done.conversations = len(gone)
    return done


def forget(store: Store, sender_id: str) -> Deleted:
    """Delete everything about one visitor (their events and all staff rows)."""
    with store.refresh_lock:
        if has_events_table(store.tracker):
            return _delete_senders(store, [sender_id], None)
        with store.staff.begin() as conn:
            for name in VISITOR_TABLES:
                table = store.t(name)
                conn.execute(table.delete().where(table.c.sender_id == sender_id))
        return Deleted(conversations=1)


def purge(store: Store, older_than_days: float, now: Optional[float] = None) -> Deleted:
    """Delete conversations whose last event is older than ``older_than_days`` days.

    Call bot.store.summary.refresh first: candidates come from the read model, and each
    is checked against the events table before it is deleted.
    """
    if older_than_days <= 0:
        raise ValueError("the retention period must be more than 0 days")
    cutoff = (time.time() if now is None else now) - older_than_days * DAY_S
    total = Deleted()
    if not has_events_table(store.tracker):
        return total
    summary = store.t("summary")
    with store.refresh_lock:
        while True:
            query = sa.select(summary.c.sender_id).where(summary.c.last_at < cutoff).limit(CHUNK)
            with store.staff.connect() as conn:
                senders: List[str] = list(conn.execute(query).scalars())
            if not senders:
                return total
            done = _delete_senders(store, senders, cutoff)
            # Any left were active after all: the next refresh brings their rows back.
            with store.staff.begin() as conn:
                conn.execute(summary.delete().where(summary.c.sender_id.in_(senders)))
                queue = store.t("queue")
                conn.execute(queue.delete().where(queue.c.sender_id.in_(senders)))
            total.conversations += done.conversations
            total.events += done.events
