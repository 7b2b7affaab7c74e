"""The review queue: conversations worth a look, highest score first, until staff have
marked them reviewed or given them a category.

Reads the read model's ``review_score`` and ``review_reasons`` (bot.store.reasons,
computed when a visitor's events are folded), so a page is one indexed query however
many conversations there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from .reasons import REASONS, labels
from .store import Store

PER_PAGE = 50


@dataclass
class QueuePage:
    rows: List[Dict[str, Any]]
    total: int
    page: int
    per_page: int
    reason: Optional[str] = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(store: Store, reason: Optional[str]) -> List[Any]:
    s = store.t("summary")
    reviews, labelled = store.t("reviews"), store.t("conversation_labels")
    where = [
        s.c.review_score > 0,
        ~sa.exists().where(reviews.c.sender_id == s.c.sender_id),
        ~sa.exists().where(labelled.c.sender_id == s.c.sender_id),
    ]
    if reason in REASONS:
        joined = sa.literal(",") + s.c.review_reasons + sa.literal(",")
        where.append(joined.like(f"%,{reason},%"))
    return where


def page(
    store: Store, page_number: int = 1, per_page: int = PER_PAGE, reason: Optional[str] = None
) -> QueuePage:
    """One page of the queue (``reason``: only conversations with that reason code)."""
    s = store.t("summary")
    reason = reason if reason in REASONS else None
    where = _conditions(store, reason)
    query = (
        sa.select(
            s.c.sender_id,
            s.c.started_at,
            s.c.last_at,
            s.c.channel,
            s.c.turns,
            s.c.triage_result,
            s.c.fallbacks,
            s.c.low_confidence,
            s.c.review_score,
            s.c.review_reasons,
        )
        .where(*where)
        .order_by(s.c.review_score.desc(), s.c.last_at.desc(), s.c.sender_id.desc())
        .limit(per_page)
        .offset((page_number - 1) * per_page)
    )
    count = sa.select(sa.func.count()).select_from(s).where(*where)
    with store.staff.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
        total = int(conn.execute(count).scalar() or 0)
    for row in rows:
        row["reasons"] = labels(row["review_reasons"])
    return QueuePage(rows=rows, total=total, page=page_number, per_page=per_page, reason=reason)
