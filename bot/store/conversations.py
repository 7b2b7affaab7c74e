"""The conversation list: filtered, sorted, paginated queries over staff_summary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .filters import NO_RESULT, ConversationFilter
from .store import Store

EXPORT_BATCH = 1000


@dataclass
class Page:
    """One page of rows out of ``total``."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(store: Store, f: ConversationFilter, tz: ZoneInfo) -> list[Any]:
    """SQL conditions on staff_summary for the filter."""
    s = store.t("summary")
    reviews, tags = store.t("reviews").alias("r"), store.t("tags").alias("t")
    where: list[Any] = []
    start, end = f.time_range(tz)
    if start is not None:
        where.append(s.c.started_at >= start)
    if end is not None:
        where.append(s.c.started_at < end)
    if f.channel:
        where.append(s.c.channel == f.channel)
    if f.result == NO_RESULT:
        where.append(s.c.triage_result.is_(None))
    elif f.result:
        where.append(s.c.triage_result == f.result)
    if f.red_flag is not None:
        where.append(s.c.red_flag == f.red_flag)
    if f.fallback is not None:
        where.append(s.c.low_confidence > 0 if f.fallback else s.c.low_confidence == 0)
    if f.callback is not None:
        where.append(s.c.callback_requested == f.callback)
    if f.min_turns is not None:
        where.append(s.c.turns >= f.min_turns)
    if f.max_turns is not None:
        where.append(s.c.turns <= f.max_turns)
    if f.reviewed is not None:
        reviewed = sa.exists().where(reviews.c.sender_id == s.c.sender_id)
        where.append(reviewed if f.reviewed else ~reviewed)
    if f.tag:
        where.append(sa.exists().where(tags.c.sender_id == s.c.sender_id, tags.c.tag == f.tag))
    if f.q:
        text = store.t("search")
        found = sa.select(text.c.sender_id).where(text.c.text.like(_like_pattern(f.q), escape="\\"))
        where.append(s.c.sender_id.in_(found))
    return where


def _order(store: Store, f: ConversationFilter) -> list[Any]:
    s = store.t("summary")
    column = {
        "started": s.c.started_at,
        "last": s.c.last_at,
        "turns": s.c.turns,
        "fallbacks": s.c.low_confidence,
        "result": s.c.triage_result,
    }[f.sort]
    direction = sa.desc if f.descending else sa.asc
    return [direction(column), direction(s.c.sender_id)]


def _select(store: Store, f: ConversationFilter, tz: ZoneInfo) -> sa.sql.Select:
    s, reviews = store.t("summary"), store.t("reviews")
    return (
        sa.select(*s.c, reviews.c.reviewed_by, reviews.c.reviewed_at)
        .select_from(s.outerjoin(reviews, reviews.c.sender_id == s.c.sender_id))
        .where(*conditions(store, f, tz))
        .order_by(*_order(store, f))
    )


def tags_of(conn: sa.engine.Connection, store: Store, senders: list[str]) -> dict[str, list[str]]:
    tags = store.t("tags")
    found: dict[str, list[str]] = {s: [] for s in senders}
    if senders:
        query = sa.select(tags.c.sender_id, tags.c.tag).where(tags.c.sender_id.in_(senders))
        for sender, tag in conn.execute(query.order_by(tags.c.tag)):
            found[sender].append(tag)
    return found


def _with_tags(conn, store: Store, rows) -> list[dict[str, Any]]:
    rows = [dict(row._mapping) for row in rows]
    tags = tags_of(conn, store, [r["sender_id"] for r in rows])
    for row in rows:
        row["tags"] = tags[row["sender_id"]]
        row["reviewed"] = row["reviewed_by"] is not None
    return rows


def count(store: Store, f: ConversationFilter, tz: ZoneInfo) -> int:
    s = store.t("summary")
    query = sa.select(sa.func.count()).select_from(s).where(*conditions(store, f, tz))
    with store.staff.connect() as conn:
        return conn.execute(query).scalar() or 0


def page(store: Store, f: ConversationFilter, tz: ZoneInfo) -> Page:
    """One page of the list and the number of conversations that match."""
    query = _select(store, f, tz).limit(f.per_page).offset(f.offset)
    with store.staff.connect() as conn:
        rows = _with_tags(conn, store, conn.execute(query))
    return Page(rows=rows, total=count(store, f, tz), page=f.page, per_page=f.per_page)


def iter_filtered(store: Store, f: ConversationFilter, tz: ZoneInfo) -> Iterator[dict[str, Any]]:
    """Every matching conversation, in the filter's order, read in batches (exports)."""
    offset = 0
    while True:
        query = _select(store, f, tz).limit(EXPORT_BATCH).offset(offset)
        with store.staff.connect() as conn:
            rows = _with_tags(conn, store, conn.execute(query))
        yield from rows
        if len(rows) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH


def channels(store: Store) -> list[str]:
    """Channels seen, for the filter's choices."""
    s = store.t("summary")
    query = sa.select(s.c.channel).where(s.c.channel.isnot(None)).distinct()
    with store.staff.connect() as conn:
        return sorted(conn.execute(query).scalars())


def all_tags(store: Store) -> list[str]:
    tags = store.t("tags")
    with store.staff.connect() as conn:
        return sorted(conn.execute(sa.select(tags.c.tag).distinct()).scalars())


def get(store: Store, sender_id: str) -> dict[str, Any] | None:
    """One conversation's summary row with review and tags, or None."""
    s = store.t("summary")
    query = _select(store, ConversationFilter(), ZoneInfo("UTC")).where(s.c.sender_id == sender_id)
    with store.staff.connect() as conn:
        rows = _with_tags(conn, store, conn.execute(query))
    return rows[0] if rows else None
