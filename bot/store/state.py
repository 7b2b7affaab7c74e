"""Small key/value state of the staff app (the read model's watermark and version)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def get(conn: Connection, table: sa.Table, key: str) -> str | None:
    return conn.execute(sa.select(table.c.value).where(table.c.key == key)).scalar()


def put(conn: Connection, table: sa.Table, key: str, value: str) -> None:
    updated = conn.execute(table.update().where(table.c.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key=key, value=value))


def compare_and_set(conn: Connection, table: sa.Table, key: str, old: str, new: str) -> bool:
    """Set ``key`` to ``new`` only if it still holds ``old`` (another worker may have won)."""
    updated = conn.execute(
        table.update().where(table.c.key == key, table.c.value == old).values(value=new)
    )
    return updated.rowcount == 1
