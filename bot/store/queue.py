"""The review queue: conversations worth a look, highest score first, until staff have
marked them reviewed or given them a category.

``staff_queue`` holds the open ones: per conversation one row with reason "" (the whole
queue) and one per reason code, each with the score and the time of the last message,
so every page and count is a range of one index, however many conversations there
are. ``sync`` rewrites a visitor's rows from the read model (bot.store.reasons, folded
by bot.store.summary) and staff's reviews and categories; it runs in the transaction
that changes any of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .conversations import Page
from .reasons import REASONS, labels
from .store import Store

PER_PAGE = 50
ALL = ""
CHUNK = 500


@dataclass
class QueuePage(Page):
    """A page of the queue, of one reason or (None) of all."""

    reason: str | None = None


def sync(conn: Connection, store: Store, senders: Iterable[str]) -> None:
    """Rewrite these visitors' queue rows (inside the caller's transaction)."""
    q, s = store.t("queue"), store.t("summary")
    reviews, labelled = store.t("reviews"), store.t("conversation_labels")
    senders = sorted(set(senders))
    for start in range(0, len(senders), CHUNK):
        chunk = senders[start : start + CHUNK]
        conn.execute(q.delete().where(q.c.sender_id.in_(chunk)))
        query = sa.select(s.c.sender_id, s.c.review_score, s.c.last_at, s.c.review_reasons).where(
            s.c.sender_id.in_(chunk),
            s.c.review_score > 0,
            ~sa.exists().where(reviews.c.sender_id == s.c.sender_id),
            ~sa.exists().where(labelled.c.sender_id == s.c.sender_id),
        )
        rows = []
        for sender, score, last_at, reasons in conn.execute(query):
            for reason in [ALL, *(r for r in (reasons or "").split(",") if r)]:
                rows.append(
                    {"reason": reason, "sender_id": sender, "score": score, "last_at": last_at}
                )
        if rows:
            conn.execute(q.insert(), rows)


def sync_one(store: Store, sender_id: str) -> None:
    with store.staff.begin() as conn:
        sync(conn, store, [sender_id])


def page(
    store: Store, page_number: int = 1, per_page: int = PER_PAGE, reason: str | None = None
) -> QueuePage:
    """One page of the queue (``reason``: only conversations with that reason code)."""
    q, s = store.t("queue"), store.t("summary")
    reason = reason if reason in REASONS else None
    key = reason or ALL
    ranked = (
        sa.select(q.c.sender_id, q.c.score, q.c.last_at)
        .where(q.c.reason == key)
        .order_by(q.c.score.desc(), q.c.last_at.desc(), q.c.sender_id.desc())
        .limit(per_page)
        .offset((page_number - 1) * per_page)
        .subquery("ranked")
    )
    query = (
        sa.select(
            ranked.c.sender_id,
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
        .select_from(ranked.join(s, s.c.sender_id == ranked.c.sender_id))
        .order_by(ranked.c.score.desc(), ranked.c.last_at.desc(), ranked.c.sender_id.desc())
    )
    count = sa.select(sa.func.count()).select_from(q).where(q.c.reason == key)
    with store.staff.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
        total = int(conn.execute(count).scalar() or 0)
    for row in rows:
        row["reasons"] = labels(row["review_reasons"])
    return QueuePage(rows=rows, total=total, page=page_number, per_page=per_page, reason=reason)
