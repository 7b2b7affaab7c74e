"""The live measure: per week, whether the bot gets better.

For each week (Monday to Sunday in the clinic's time zone) of conversations started:
the share of staff-categorised conversations where staff agreed with the bot's
category, fallbacks per 100 visitor messages, and conversations with a red flag.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import List, Optional, Tuple

import sqlalchemy as sa
from zoneinfo import ZoneInfo

from .store import Store

MAX_WEEKS = 106


@dataclass
class Week:
    first_day: date
    conversations: int = 0
    messages: int = 0
    fallbacks: int = 0
    red_flags: int = 0
    reviewed: int = 0
    agreed: int = 0

    @property
    def agreement(self) -> Optional[float]:
        """Share of categorised conversations where staff agreed (None: none reviewed)."""
        return self.agreed / self.reviewed if self.reviewed else None

    @property
    def fallbacks_per_100(self) -> Optional[float]:
        return 100.0 * self.fallbacks / self.messages if self.messages else None


def _midnight(day: date, tz: ZoneInfo) -> float:
    return datetime.combine(day, time.min, tz).timestamp()


def weeks(first: date, last: date, tz: ZoneInfo) -> List[Tuple[date, float, float]]:
    """(Monday, start, end) of every week touching first..last (the latest MAX_WEEKS)."""
    monday = first - timedelta(days=first.weekday())
    spans = []
    while monday <= last:
        nxt = monday + timedelta(days=7)
        spans.append((monday, _midnight(monday, tz), _midnight(nxt, tz)))
        monday = nxt
    return spans[-MAX_WEEKS:]


def weekly(store: Store, first: date, last: date, tz: ZoneInfo) -> List[Week]:
    spans = weeks(first, last, tz)
    s, labels = store.t("summary"), store.t("conversation_labels")
    rows = [
        sa.select(sa.literal(i).label("i"), sa.literal(lo).label("lo"), sa.literal(hi).label("hi"))
        for i, (_, lo, hi) in enumerate(spans)
    ]
    b = sa.union_all(*rows).cte("w") if len(rows) > 1 else rows[0].cte("w")
    in_week = sa.and_(s.c.started_at >= b.c.lo, s.c.started_at < b.c.hi)
    zero = sa.literal(0)
    totals = (
        sa.select(
            b.c.i,
            sa.func.count(s.c.sender_id),
            sa.func.coalesce(sa.func.sum(s.c.turns), zero),
            sa.func.coalesce(sa.func.sum(s.c.fallbacks), zero),
            sa.func.coalesce(sa.func.sum(sa.case((s.c.red_flag, 1), else_=0)), zero),
        )
        .select_from(b.outerjoin(s, in_week))
        .group_by(b.c.i)
    )
    # Driven from the categorised conversations (few), not from a year of summary rows.
    agreement = (
        sa.select(s.c.started_at, labels.c.category == s.c.triage_result)
        .select_from(labels.join(s, s.c.sender_id == labels.c.sender_id))
        .where(s.c.started_at >= spans[0][1], s.c.started_at < spans[-1][2])
    )
    found = [Week(first_day=monday) for monday, _, _ in spans]
    with store.staff.connect() as conn:
        for i, n, turns, fallbacks, flags in conn.execute(totals):
            week = found[int(i)]
            week.conversations, week.messages = int(n), int(turns)
            week.fallbacks, week.red_flags = int(fallbacks), int(flags)
        starts = [lo for _, lo, _ in spans]
        for started_at, agreed in conn.execute(agreement):
            week = found[bisect.bisect_right(starts, started_at) - 1]
            week.reviewed += 1
            week.agreed += 1 if agreed else 0
    return found
