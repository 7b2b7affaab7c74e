"""Login rate limiting: failed attempts per account name and per client address.

Kept in the database so it holds across workers and restarts. A key is blocked while it
has ``limit`` failures within ``window_s``; a successful login clears the name's count.

:func:`attempt` counts an attempt *before* the password is checked, in the same
transaction as the check of the limit (SQLite: the insert takes the write lock;
PostgreSQL: an advisory lock), so parallel guesses cannot all pass the check before any
of them is recorded. A refused attempt leaves nothing behind but, once per window and
key, a ``refused:`` marker, so the caller can write one audit row instead of one per try.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from .store import Store


@dataclass(frozen=True)
class Limits:
    per_name: int = 5
    per_address: int = 20
    window_s: float = 15 * 60


PG_LOCK_ID = 0x0BAC_7401
REFUSED = "refused:"


@dataclass(frozen=True)
class Attempt:
    """``wait`` > 0: refused for that many seconds. ``recorded``: this attempt's rows."""

    wait: float
    recorded: tuple[int, ...] = ()
    first_refusal: bool = False


def keys(name: str, address: str | None) -> dict:
    return {"name": f"name:{name.strip().lower()[:64]}", "address": f"ip:{address or '?'}"}


def retry_after(store: Store, name: str, address: str | None, limits: Limits) -> float:
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


def failed(store: Store, name: str, address: str | None, limits: Limits) -> None:
    table, now = store.t("login_failures"), time.time()
    k = keys(name, address)
    with store.staff.begin() as conn:
        conn.execute(table.insert(), [{"key": key, "at": now} for key in k.values()])
        conn.execute(table.delete().where(table.c.at < now - limits.window_s))


def attempt(store: Store, name: str, address: str | None, limits: Limits) -> Attempt:
    """Record an attempt unless a key is over its limit; atomic across workers."""
    table, now = store.t("login_failures"), time.time()
    since = now - limits.window_s
    k = keys(name, address)
    with store.staff.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_LOCK_ID})
        recorded = tuple(
            conn.execute(table.insert().values(key=key, at=now)).inserted_primary_key[0]
            for key in k.values()
        )
        wait, over = 0.0, []
        for key, limit in ((k["name"], limits.per_name), (k["address"], limits.per_address)):
            query = (
                sa.select(table.c.at)
                .where(table.c.key == key, table.c.at >= since, table.c.id.notin_(recorded))
                .order_by(table.c.at.desc())
                .limit(limit)
            )
            times = list(conn.execute(query).scalars())
            if len(times) >= limit:
                wait = max(wait, times[-1] + limits.window_s - now)
                over.append(REFUSED + key)
        conn.execute(table.delete().where(table.c.at < since))
        if not wait:
            return Attempt(0.0, recorded)
        conn.execute(table.delete().where(table.c.id.in_(recorded)))
        marked = conn.execute(
            sa.select(table.c.id).where(table.c.key.in_(over), table.c.at >= since).limit(1)
        ).first()
        if not marked:
            conn.execute(table.insert(), [{"key": key, "at": now} for key in over])
        return Attempt(max(wait, 1.0), (), first_refusal=not marked)


def succeeded(store: Store, name: str, recorded: Iterable[int] = ()) -> None:
    """A login went through: the name's failures and this attempt's own rows go."""
    _clear(store, [keys(name, None)["name"]])
    ids = list(recorded)
    if ids:
        table = store.t("login_failures")
        with store.staff.begin() as conn:
            conn.execute(table.delete().where(table.c.id.in_(ids)))


def _clear(store: Store, names: Iterable[str]) -> None:
    table = store.t("login_failures")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.key.in_(list(names))))
