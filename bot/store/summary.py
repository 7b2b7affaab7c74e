"""Keep the read model (staff_summary, staff_search, staff_fallback_turns, call-backs) fresh.

Incremental: events with an id above the watermark name the visitors to refresh; each
of them is folded again from all their events (bot.store.fold), so a refresh applied
twice changes nothing. The watermark moves by compare-and-set, so two workers never
both apply a batch. Bumping ``SUMMARY_VERSION`` (when fold() changes) rebuilds it all.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, List

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import queue, state
from .events import events_of, has_events_table
from .fold import Folded, fold
from .store import Store

SUMMARY_VERSION = "3"  # 2: the review queue's score and reasons; 3: staff_queue
ANALYZE_AFTER = 5000  # visitors folded in one call: refresh the planner's statistics
WATERMARK = "summary_last_event_id"
VERSION_KEY = "summary_version"
BATCH_EVENTS = 5000


@dataclass
class Refreshed:
    events: int = 0
    visitors: int = 0


def _prepare(store: Store) -> str:
    """Create the state rows, rebuild after a version change; return the watermark."""
    table = store.t("state")
    with store.staff.begin() as conn:
        if state.get(conn, table, VERSION_KEY) != SUMMARY_VERSION:
            for name in ("summary", "search", "fallback_turns", "queue"):
                conn.execute(store.t(name).delete())
            state.put(conn, table, WATERMARK, "0")
            state.put(conn, table, VERSION_KEY, SUMMARY_VERSION)
        watermark = state.get(conn, table, WATERMARK)
        if watermark is None:
            watermark = "0"
            state.put(conn, table, WATERMARK, watermark)
        return watermark


def _new_events(store: Store, after: int) -> List[tuple]:
    events = store.events
    query = (
        sa.select(events.c.id, events.c.sender_id)
        .where(events.c.id > after)
        .order_by(events.c.id)
        .limit(BATCH_EVENTS)
    )
    with store.tracker.connect() as conn:
        return list(conn.execute(query))


def _fold_all(store: Store, senders: Iterable[str]) -> List[Folded]:
    with store.tracker.connect() as conn:
        grouped = itertools.groupby(events_of(conn, store.events, senders), lambda e: e.sender_id)
        folded = [fold(list(group), store.low_confidence) for _, group in grouped]
    return [f for f in folded if f is not None]


def write_folded(conn: Connection, store: Store, folded: List[Folded]) -> None:
    """Replace the read-model rows of these visitors; add call-backs not seen before."""
    senders = [f.summary["sender_id"] for f in folded]
    summary, search = store.t("summary"), store.t("search")
    turns, callbacks = store.t("fallback_turns"), store.t("callbacks")
    for start in range(0, len(senders), 500):
        chunk = senders[start : start + 500]
        for table in (summary, search, turns):
            conn.execute(table.delete().where(table.c.sender_id.in_(chunk)))
    if folded:
        conn.execute(summary.insert(), [f.summary for f in folded])
        texts = [{"sender_id": s, "text": f.search_text} for s, f in zip(senders, folded)]
        texts = [t for t in texts if t["text"]]
        if texts:
            conn.execute(search.insert(), texts)
    queue.sync(conn, store, senders)
    turn_rows = [row for f in folded for row in f.fallback_turns]
    if turn_rows:
        conn.execute(turns.insert(), turn_rows)
    wanted = [row for f in folded for row in f.callbacks]
    if wanted:
        ids = [row["event_id"] for row in wanted]
        known = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = sa.select(callbacks.c.event_id).where(callbacks.c.event_id.in_(chunk))
            known.update(conn.execute(query).scalars())
        fresh = [dict(row, status="new") for row in wanted if row["event_id"] not in known]
        if fresh:
            conn.execute(callbacks.insert(), fresh)


def refresh(store: Store, max_batches: int = 0, wait: bool = True) -> Refreshed:
    """Bring the read model up to date (at most ``max_batches`` batches when given).

    With ``wait=False`` it returns at once if this process is already refreshing.
    """
    done = Refreshed()
    lock = store.refresh_lock
    if not lock.acquire(blocking=wait):
        return done
    try:
        if not has_events_table(store.tracker):
            return done
        watermark = _prepare(store)
        for _ in itertools.count() if not max_batches else range(max_batches):
            rows = _new_events(store, int(watermark))
            if not rows:
                break
            new_mark = str(rows[-1][0])
            folded = _fold_all(store, {sender for _, sender in rows})
            table = store.t("state")
            with store.staff.begin() as conn:
                if not state.compare_and_set(conn, table, WATERMARK, watermark, new_mark):
                    watermark = state.get(conn, table, WATERMARK) or "0"
                    continue
                write_folded(conn, store, folded)
            watermark = new_mark
            done.events += len(rows)
            done.visitors += len(folded)
        if done.visitors >= ANALYZE_AFTER:
            analyze(store)
        return done
    finally:
        lock.release()


def analyze(store: Store) -> None:
    """Planner statistics after a large change (SQLite keeps none by itself); on
    PostgreSQL also VACUUM, so index-only scans work without waiting for autovacuum."""
    names = [store.t(name).name for name in ("summary", "search", "reviews", "tags", "queue")]
    with store.staff.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        command = "VACUUM (ANALYZE)" if conn.dialect.name == "postgresql" else "ANALYZE"
        for name in names:
            conn.exec_driver_sql(f"{command} {name}")


def rebuild(store: Store) -> Refreshed:
    """Drop the read model and fold every visitor again."""
    with store.staff.begin() as conn:
        state.put(conn, store.t("state"), VERSION_KEY, "")
    return refresh(store)
