"""Login rate limiting: failed attempts per account name and per client address.

Kept in the database so it holds across workers and restarts. A key is blocked while it
has ``limit`` failures within ``window_s``; a successful login clears the name's count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Optional

import sqlalchemy as sa

from .store import Store


@dataclass(frozen=True)
class Limits:
    per_name: int = 5
    per_address: int = 20
    window_s: float = 15 * 60


def keys(name: str, address: Optional[str]) -> dict:
    return {"name": f"name:{name.strip().lower()[:64]}", "address": f"ip:{address or '?'}"}


def retry_after(store: Store, name: str, address: Optional[str], limits: Limits) -> float:
    """Seconds until another attempt is allowed (0 when it is allowed now)."""
    table, now = store.t("login_failures"), time.time()
    since = now - limits.window_s
    wait = 0.0
    k = keys(name, address)
    with store.staff.connect() as conn:
        for key, limit in ((k["name"], limits.per_name), (k["address"], limits.per_address)):
            query = (
                sa.select(table.c.at)
                .where(table.c.key == key, table.c.at >= since)
                .order_by(table.c.at.desc())
                .limit(limit)
            )
            times = list(conn.execute(query).scalars())
            if len(times) >= limit:
                wait = max(wait, times[-1] + limits.window_s - now)
    return max(0.0, wait)


def failed(store: Store, name: str, address: Optional[str], limits: Limits) -> None:
    table, now = store.t("login_failures"), time.time()
    k = keys(name, address)
    with store.staff.begin() as conn:
        conn.execute(table.insert(), [{"key": key, "at": now} for key in k.values()])
        conn.execute(table.delete().where(table.c.at < now - limits.window_s))


def succeeded(store: Store, name: str) -> None:
    _clear(store, [keys(name, None)["name"]])


def _clear(store: Store, names: Iterable[str]) -> None:
    table = store.t("login_failures")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.key.in_(list(names))))
