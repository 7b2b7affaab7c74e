"""The call-back queue: requests visitors left (found by the read model), with a status."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from .schema import CALLBACK_STATUSES
from .store import Store


def queue(store: Store, status: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Requests, oldest new ones first; ``status`` narrows to one status."""
    c, s = store.t("callbacks"), store.t("summary")
    query = (
        sa.select(c, s.c.triage_result, s.c.red_flag)
        .select_from(c.outerjoin(s, s.c.sender_id == c.c.sender_id))
        .order_by(sa.case((c.c.status == "new", 0), (c.c.status == "called", 1), else_=2))
        .order_by(c.c.requested_at)
        .limit(limit)
    )
    if status:
        query = query.where(c.c.status == status)
    with store.staff.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def counts(store: Store) -> dict[str, int]:
    c = store.t("callbacks")
    query = sa.select(c.c.status, sa.func.count()).group_by(c.c.status)
    with store.staff.connect() as conn:
        found = dict(conn.execute(query).all())
    return {status: int(found.get(status, 0)) for status in CALLBACK_STATUSES}


def get(store: Store, callback_id: int) -> dict[str, Any] | None:
    c = store.t("callbacks")
    with store.staff.connect() as conn:
        row = conn.execute(sa.select(c).where(c.c.id == callback_id)).first()
    return dict(row._mapping) if row else None


def set_status(store: Store, callback_id: int, status: str, by: str) -> bool:
    """Move a request to new, called or closed; False if there is no such request."""
    if status not in CALLBACK_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CALLBACK_STATUSES)}")
    c = store.t("callbacks")
    with store.staff.begin() as conn:
        result = conn.execute(
            c.update()
            .where(c.c.id == callback_id)
            .values(status=status, updated_at=time.time(), updated_by=by)
        )
    return result.rowcount == 1


def for_sender(store: Store, sender_id: str) -> list[dict[str, Any]]:
    c = store.t("callbacks")
    query = sa.select(c).where(c.c.sender_id == sender_id).order_by(c.c.requested_at)
    with store.staff.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
