"""Keep the read model (staff_summary, staff_search, staff_fallback_turns, call-backs) fresh.

Incremental: events with an id above the watermark name the visitors to refresh; only
their events above the id their stored fold state has seen are read and folded onto it
(bot.store.fold_state), so a refresh costs what the new events cost, however long the
conversation; a visitor without a usable state is folded from all their events. The
result equals a full fold (bot.store.fold), and a refresh applied twice changes nothing.
Events committed late below the watermark (PostgreSQL, two workers) are caught by a look
back over the last ids (``_late_senders``) and folded the same way. The
watermark moves by compare-and-set, so two workers never both apply a batch. Bumping
``SUMMARY_VERSION`` (when fold() changes) rebuilds it all.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import queue, state
from .events import events_after, events_of, has_events_table
from .fold import Folded
from .fold_state import FoldState, fold_onto
from .store import Store

SUMMARY_VERSION = "3"  # 2: the review queue's score and reasons; 3: staff_queue
ANALYZE_AFTER = 5000  # visitors folded in one call: refresh the planner's statistics
WATERMARK = "summary_last_event_id"
VERSION_KEY = "summary_version"
BATCH_EVENTS = 5000
LATE_IDS = 5000  # how far below the watermark a late commit is looked for
LATE_WINDOW_S = 300.0  # ... among events written this recently


@dataclass
class Refreshed:
    events: int = 0
    visitors: int = 0


def _prepare(store: Store) -> str:
    """Create the state rows, rebuild after a version change; return the watermark."""
    table = store.t("state")
    with store.staff.begin() as conn:
        if state.get(conn, table, VERSION_KEY) != SUMMARY_VERSION:
            for name in ("summary", "search", "fallback_turns", "queue", "fold_state"):
                conn.execute(store.t(name).delete())
            state.put(conn, table, WATERMARK, "0")
            state.put(conn, table, VERSION_KEY, SUMMARY_VERSION)
        watermark = state.get(conn, table, WATERMARK)
        if watermark is None:
            watermark = "0"
            state.put(conn, table, WATERMARK, watermark)
        return watermark


def _new_events(store: Store, after: int) -> list[tuple]:
    events = store.events
    query = (
        sa.select(events.c.id, events.c.sender_id)
        .where(events.c.id > after)
        .order_by(events.c.id)
        .limit(BATCH_EVENTS)
    )
    with store.tracker.connect() as conn:
        return list(conn.execute(query))


def _fold_all(store: Store, senders: Iterable[str]) -> list[Folded]:
    """Fold these visitors from all their events."""
    with store.tracker.connect() as conn:
        grouped = itertools.groupby(events_of(conn, store.events, senders), lambda e: e.sender_id)
        folded = [fold_onto(None, list(group), store.low_confidence) for _, group in grouped]
    return [f for f in folded if f is not None]


def _stored_states(store: Store, senders: list[str]) -> dict[str, FoldState]:
    table, states = store.t("fold_state"), {}
    with store.staff.connect() as conn:
        for start in range(0, len(senders), 500):
            chunk = senders[start : start + 500]
            query = sa.select(table.c.sender_id, table.c.state).where(table.c.sender_id.in_(chunk))
            for sender, text in conn.execute(query):
                loaded = FoldState.from_json(text, store.low_confidence)
                if loaded is not None and loaded.sender_id == sender:
                    states[sender] = loaded
    return states


def _fold_new(store: Store, senders: Iterable[str]) -> list[Folded]:
    """Fold these visitors' events that their stored state has not seen."""
    senders = sorted(set(senders))
    states = _stored_states(store, senders)
    folded = _fold_all(store, [s for s in senders if s not in states])
    with store.tracker.connect() as conn:
        for sender, loaded in states.items():
            events = events_after(conn, store.events, sender, loaded.last_event_id)
            if events:
                folded.append(fold_onto(loaded, events, store.low_confidence))
    return folded


def write_folded(conn: Connection, store: Store, folded: list[Folded]) -> None:
    """Replace the read-model rows of these visitors; add call-backs not seen before.

    Fallback turns: all of a visitor's rows after a full fold, otherwise only those of
    the turns the new events could change (``Folded.fallback_ids``).
    """
    senders = [f.summary["sender_id"] for f in folded]
    summary, search = store.t("summary"), store.t("search")
    turns, callbacks = store.t("fallback_turns"), store.t("callbacks")
    states = store.t("fold_state")
    whole = [f.summary["sender_id"] for f in folded if f.fallback_ids is None]
    replaced = [i for f in folded for i in f.fallback_ids or []]
    for start in range(0, len(senders), 500):
        chunk = senders[start : start + 500]
        for table in (summary, search, states):
            conn.execute(table.delete().where(table.c.sender_id.in_(chunk)))
    for start in range(0, len(whole), 500):
        conn.execute(turns.delete().where(turns.c.sender_id.in_(whole[start : start + 500])))
    for start in range(0, len(replaced), 500):
        conn.execute(turns.delete().where(turns.c.event_id.in_(replaced[start : start + 500])))
    if folded:
        conn.execute(summary.insert(), [f.summary for f in folded])
        kept = [
            {"sender_id": f.summary["sender_id"], "state": f.state.to_json()}
            for f in folded
            if f.state is not None
        ]
        if kept:
            conn.execute(states.insert(), kept)
        texts = [
            {"sender_id": s, "text": f.search_text} for s, f in zip(senders, folded, strict=False)
        ]
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
            folded = _fold_new(store, {sender for _, sender in rows})
            table = store.t("state")
            with store.staff.begin() as conn:
                if not state.compare_and_set(conn, table, WATERMARK, watermark, new_mark):
                    watermark = state.get(conn, table, WATERMARK) or "0"
                    continue
                write_folded(conn, store, folded)
            watermark = new_mark
            done.events += len(rows)
            done.visitors += len(folded)
        late = _fold_new(store, _late_senders(store, int(watermark)))
        if late:
            with store.staff.begin() as conn:
                write_folded(conn, store, late)
            done.visitors += len(late)
        if done.visitors >= ANALYZE_AFTER:
            analyze(store)
        return done
    finally:
        lock.release()


def _late_senders(store: Store, watermark: int, now: float = 0.0) -> set:
    """Visitors with a recent event at or below the watermark that their row has not seen.

    PostgreSQL hands out ids when rows are inserted, not when they are committed: with two
    Rasa workers, id 900 can become visible after the watermark passed 1000. The last
    ``LATE_IDS`` ids written in the last ``LATE_WINDOW_S`` seconds are checked against
    each visitor's ``last_event_id`` on every refresh (one index range, a few rows).
    """
    events, summary = store.events, store.t("summary")
    since = (now or time.time()) - LATE_WINDOW_S
    query = (
        sa.select(events.c.sender_id, sa.func.max(events.c.id))
        .where(
            events.c.id > watermark - LATE_IDS,
            events.c.id <= watermark,
            events.c.timestamp >= since,
        )
        .group_by(events.c.sender_id)
    )
    with store.tracker.connect() as conn:
        newest = dict(conn.execute(query).all())
    if not newest:
        return set()
    seen: dict = {}
    with store.staff.connect() as conn:
        senders = list(newest)
        for start in range(0, len(senders), 500):
            chunk = senders[start : start + 500]
            rows = conn.execute(
                sa.select(summary.c.sender_id, summary.c.last_event_id).where(
                    summary.c.sender_id.in_(chunk)
                )
            )
            seen.update(rows.all())
    return {sender for sender, top in newest.items() if seen.get(sender, -1) < top}


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
