"""The live measure: per week, whether the bot gets better.

For each week (Monday to Sunday in the clinic's time zone) of conversations started:
the share of staff-categorised conversations where staff agreed with the bot's
category, fallbacks per 100 visitor messages, and conversations with a red flag.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .store import Store

MAX_WEEKS = 106
CHUNK = 500


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
    def agreement(self) -> float | None:
        """Share of categorised conversations where staff agreed (None: none reviewed)."""
        return self.agreed / self.reviewed if self.reviewed else None

    @property
    def fallbacks_per_100(self) -> float | None:
        return 100.0 * self.fallbacks / self.messages if self.messages else None


def _midnight(day: date, tz: ZoneInfo) -> float:
    return datetime.combine(day, time.min, tz).timestamp()


def weeks(first: date, last: date, tz: ZoneInfo) -> list[tuple[date, float, float]]:
    """(Monday, start, end) of every week touching first..last (the latest MAX_WEEKS)."""
    monday = first - timedelta(days=first.weekday())
    spans = []
    while monday <= last:
        nxt = monday + timedelta(days=7)
        spans.append((monday, _midnight(monday, tz), _midnight(nxt, tz)))
        monday = nxt
    return spans[-MAX_WEEKS:]


def weekly(store: Store, first: date, last: date, tz: ZoneInfo) -> list[Week]:
    spans = weeks(first, last, tz)
    s, labels = store.t("summary"), store.t("conversation_labels")
    # One small aggregate per week over the (started_at, turns, fallbacks, red_flag) index,
    # the same statement each time: cheaper than a join of weeks to a year of rows.
    totals = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(s.c.turns), 0),
        sa.func.coalesce(sa.func.sum(s.c.fallbacks), 0),
        sa.func.coalesce(sa.func.sum(sa.case((s.c.red_flag, 1), else_=0)), 0),
    ).where(s.c.started_at >= sa.bindparam("lo"), s.c.started_at < sa.bindparam("hi"))
    # From the categorised conversations (few) to their summary rows, never the other way.
    with store.staff.connect() as conn:
        given = dict(conn.execute(sa.select(labels.c.sender_id, labels.c.category)).all())
    found = [Week(first_day=monday) for monday, _, _ in spans]
    with store.staff.connect() as conn:
        for week, (_, lo, hi) in zip(found, spans, strict=False):
            n, turns, fallbacks, flags = conn.execute(totals, {"lo": lo, "hi": hi}).one()
            week.conversations, week.messages = int(n), int(turns)
            week.fallbacks, week.red_flags = int(fallbacks), int(flags)
        starts, end = [lo for _, lo, _ in spans], spans[-1][2]
        senders = sorted(given)
        for first_at in range(0, len(senders), CHUNK):
            chunk = senders[first_at : first_at + CHUNK]
            # By primary key only: with a time range too, SQLite would scan the time index.
            query = sa.select(s.c.sender_id, s.c.started_at, s.c.triage_result).where(
                s.c.sender_id.in_(chunk)
            )
            for sender, started_at, result in conn.execute(query):
                if not starts[0] <= started_at < end:
                    continue
                week = found[bisect.bisect_right(starts, started_at) - 1]
                week.reviewed += 1
                week.agreed += 1 if given[sender] == result else 0
    return found
