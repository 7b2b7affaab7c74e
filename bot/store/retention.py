"""Retention: purge conversations older than N days, or everything about one visitor.

Deletes the visitor's rows in Rasa's events table and in every staff table keyed by
sender_id (read model, reviews, tags, notes, call-backs). The audit log keeps only the
fact that it happened: the visitor's id in it (a phone number for SMS) is replaced by a
random pseudonym. Purge finds old conversations in the read model and then in the events
table itself (those the read model never folded). SQLite reuses the highest row ids
after a delete, so the read model's watermark is lowered to the highest id left.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    # Each deleted visitor's id -> the pseudonym that replaced it in the audit log.
    pseudonyms: dict[str, str] = field(default_factory=dict)


def pseudonym() -> str:
    """A fresh name for a deleted visitor in the audit log: random, so unlinkable."""
    return f"forgotten-{secrets.token_hex(6)}"


def _pseudonymise_audit(conn, store: Store, senders: Sequence[str]) -> dict[str, str]:
    """Replace these visitors' ids in the audit log (a phone number for SMS)."""
    audit, names = store.t("audit"), {}
    for sender in senders:
        names[sender] = pseudonym()
        update = audit.update().where(audit.c.target == sender).values(target=names[sender])
        conn.execute(update)
    return names


def _delete_senders(store: Store, senders: Sequence[str], cutoff: float | None) -> Deleted:
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
        done.pseudonyms = _pseudonymise_audit(conn, store, gone)
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
            names = _pseudonymise_audit(conn, store, [sender_id])
        return Deleted(conversations=1, pseudonyms=names)


def purge(store: Store, older_than_days: float, now: float | None = None) -> Deleted:
    """Delete conversations whose last event is older than ``older_than_days`` days.

    Candidates come from the read model (call bot.store.summary.refresh first), then
    from the events table (conversations never folded); each is checked against the
    events table before it is deleted.
    """
    if older_than_days <= 0:
        raise ValueError("the retention period must be more than 0 days")
    cutoff = (time.time() if now is None else now) - older_than_days * DAY_S
    total = Deleted()
    if not has_events_table(store.tracker):
        return total
    summary, events = store.t("summary"), store.events
    from_summary = sa.select(summary.c.sender_id).where(summary.c.last_at < cutoff).limit(CHUNK)
    # Conversations the read model never saw (a late commit, a refresh not run yet).
    from_events = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
        .limit(CHUNK)
    )
    with store.refresh_lock:
        for engine, query in ((store.staff, from_summary), (store.tracker, from_events)):
            _purge_pass(store, engine, query, cutoff, total)
        return total


def _purge_pass(store: Store, engine, query, cutoff: float, total: Deleted) -> None:
    """Delete the senders ``query`` names, a chunk at a time, until it names none."""
    summary, queue = store.t("summary"), store.t("queue")
    while True:
        with engine.connect() as conn:
            senders: list[str] = list(conn.execute(query).scalars())
        if not senders:
            return
        done = _delete_senders(store, senders, cutoff)
        # Any left were active after all: the next refresh brings their rows back.
        with store.staff.begin() as conn:
            conn.execute(summary.delete().where(summary.c.sender_id.in_(senders)))
            conn.execute(queue.delete().where(queue.c.sender_id.in_(senders)))
        total.conversations += done.conversations
        total.events += done.events
        total.pseudonyms.update(done.pseudonyms)
