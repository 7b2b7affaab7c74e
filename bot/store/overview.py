"""Figures for the overview page, over a date range in the clinic's time zone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from .store import Store

MAX_BARS = 92
TOP_UNRECOGNISED = 10


@dataclass
class Overview:
    first_day: date
    last_day: date
    bucket_days: int
    per_bucket: list[dict[str, Any]] = field(default_factory=list)
    conversations: int = 0
    turns: int = 0
    flagged_turns: int = 0
    with_fallback: int = 0
    reached_booking_or_callback: int = 0
    results: list[tuple[str, int]] = field(default_factory=list)
    red_flag_conversations: int = 0
    red_flags: list[tuple[str, int]] = field(default_factory=list)
    unrecognised: list[tuple[str, int]] = field(default_factory=list)

    @property
    def fallback_rate(self) -> float:
        """Share of visitor turns that were fallbacks or low confidence."""
        return self.flagged_turns / self.turns if self.turns else 0.0

    @property
    def booking_share(self) -> float:
        return self.reached_booking_or_callback / self.conversations if self.conversations else 0.0


def _midnight(day: date, tz: ZoneInfo) -> float:
    return datetime.combine(day, time.min, tz).timestamp()


def buckets(first: date, last: date, tz: ZoneInfo) -> tuple[int, list[tuple[date, float, float]]]:
    """(days per bucket, [(first day, start, end)]) with at most MAX_BARS buckets."""
    days = (last - first).days + 1
    size = max(1, -(-days // MAX_BARS))
    out = []
    day = first
    while day <= last:
        nxt = min(day + timedelta(days=size), last + timedelta(days=1))
        out.append((day, _midnight(day, tz), _midnight(nxt, tz)))
        day = nxt
    return size, out


def _bucket_counts(conn, store: Store, spans) -> dict[int, tuple[int, int]]:
    """{bucket index: (conversations, with a fallback)} for the spans [(day, start, end)].

    PostgreSQL numbers each row's bucket with width_bucket in one scan; elsewhere each
    span is a range of the started_at index (exact across daylight-saving days).
    """
    s = store.t("summary")
    flagged = sa.case((s.c.low_confidence > 0, 1), else_=0)
    if conn.dialect.name == "postgresql":
        bounds = [lo for _, lo, _ in spans] + [spans[-1][2]]
        bucket = sa.func.width_bucket(
            s.c.started_at, sa.literal(bounds, type_=postgresql.ARRAY(sa.Float))
        ).label("b")
        query = (
            sa.select(bucket, sa.func.count(), sa.func.sum(flagged))
            .where(s.c.started_at >= bounds[0], s.c.started_at < bounds[-1])
            .group_by(bucket)
        )
        return {int(b) - 1: (int(n), int(f)) for b, n, f in conn.execute(query)}
    # Elsewhere (SQLite) one cached statement per span: a range of the started_at index
    # each. Building and compiling a union of ~90 spans cost more than running it.
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(flagged), 0)).where(
        s.c.started_at >= sa.bindparam("lo"), s.c.started_at < sa.bindparam("hi")
    )
    found = {}
    for i, (_, lo, hi) in enumerate(spans):
        n, f = conn.execute(query, {"lo": lo, "hi": hi}).one()
        found[i] = (int(n), int(f))
    return found


def _per_bucket(conn, store: Store, spans) -> list[dict[str, Any]]:
    found = _bucket_counts(conn, store, spans)
    counts = [found.get(i, (0, 0)) for i in range(len(spans))]
    return [
        {"day": day, "conversations": n, "with_fallback": f}
        for (day, _, _), (n, f) in zip(spans, counts, strict=False)
    ]


def overview(store: Store, first: date, last: date, tz: ZoneInfo) -> Overview:
    """Every figure of the overview page for the days ``first``..``last`` inclusive."""
    size, spans = buckets(first, last, tz)
    start, end = spans[0][1], spans[-1][2]
    s, fb = store.t("summary"), store.t("fallback_turns")
    in_range = sa.and_(s.c.started_at >= start, s.c.started_at < end)
    result = Overview(first_day=first, last_day=last, bucket_days=size)
    with store.staff.connect() as conn:
        result.per_bucket = _per_bucket(conn, store, spans)
        totals = conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(s.c.turns), 0),
                sa.func.coalesce(sa.func.sum(s.c.low_confidence), 0),
                sa.func.coalesce(sa.func.sum(sa.case((s.c.low_confidence > 0, 1), else_=0)), 0),
                sa.func.coalesce(
                    sa.func.sum(
                        sa.case((sa.or_(s.c.reached_booking, s.c.callback_requested), 1), else_=0)
                    ),
                    0,
                ),
                sa.func.coalesce(sa.func.sum(sa.case((s.c.red_flag, 1), else_=0)), 0),
            ).where(in_range)
        ).one()
        (
            result.conversations,
            result.turns,
            result.flagged_turns,
            result.with_fallback,
            result.reached_booking_or_callback,
            result.red_flag_conversations,
        ) = (int(v) for v in totals)
        by_result = sa.select(s.c.triage_result, sa.func.count()).where(in_range)
        result.results = sorted(
            ((r or "none", int(n)) for r, n in conn.execute(by_result.group_by(s.c.triage_result))),
            key=lambda pair: -pair[1],
        )
        flags: Counter = Counter()
        by_flags = (
            sa.select(s.c.red_flags, sa.func.count())
            .where(in_range, s.c.red_flags.isnot(None))
            .group_by(s.c.red_flags)
        )
        for joined, n in conn.execute(by_flags):
            for flag in joined.split(","):
                flags[flag] += int(n)
        result.red_flags = flags.most_common()
        text = sa.func.lower(fb.c.text)
        top = (
            sa.select(text, sa.func.count().label("n"))
            .where(fb.c.at >= start, fb.c.at < end)
            .group_by(text)
            .order_by(sa.desc("n"), text)
            .limit(TOP_UNRECOGNISED)
        )
        result.unrecognised = [(t, int(n)) for t, n in conn.execute(top)]
    return result
