"""The audit log: who did what, to which conversation, when. Never visitors' words."""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa

from .store import Store


def record(
    store: Store,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    table = store.t("audit")
    with store.staff.begin() as conn:
        conn.execute(
            table.insert().values(
                at=time.time(),
                actor=actor[:80],
                action=action[:40],
                target=None if target is None else str(target)[:255],
                detail=json.dumps(detail, sort_keys=True, default=str) if detail else None,
                ip=(ip or None) and ip[:64],
            )
        )


def recent(
    store: Store, limit: int = 200, actor: str | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    table = store.t("audit")
    query = sa.select(table).order_by(table.c.id.desc()).limit(limit)
    if actor:
        query = query.where(table.c.actor == actor)
    if action:
        query = query.where(table.c.action == action)
    with store.staff.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
