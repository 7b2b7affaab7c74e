"""Create and migrate the staff tables: numbered steps, each applied once, in order.

The applied version is kept in ``staff_schema_version``. A new step is appended to
``MIGRATIONS``; never edit a step that has shipped. On PostgreSQL an advisory lock keeps
two starting workers from migrating at once.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

VERSION_TABLE = "staff_schema_version"
PG_LOCK_ID = 0x0BAC_C4A7


def _v1_initial(conn: Connection, tables: dict[str, sa.Table]) -> None:
    """Accounts, sessions, audit, reviews, tags, notes, call-backs and the read model."""
    for table in tables.values():
        table.create(conn, checkfirst=True)


def _v2_review(conn: Connection, tables: dict[str, sa.Table]) -> None:
    """Staff corrections and the review queue's score and reasons on the read model."""
    for name in ("message_labels", "conversation_labels"):
        tables[name].create(conn, checkfirst=True)
    summary = tables["summary"]
    have = {c["name"] for c in sa.inspect(conn).get_columns(summary.name)}
    if "review_score" not in have:
        conn.exec_driver_sql(
            f"ALTER TABLE {summary.name} ADD COLUMN review_score INTEGER NOT NULL DEFAULT 0"
        )
    if "review_reasons" not in have:
        conn.exec_driver_sql(f"ALTER TABLE {summary.name} ADD COLUMN review_reasons VARCHAR(255)")
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_staff_summary_review ON {summary.name} "
        "(review_score, last_at)"
    )


def _v3_queue_table(conn: Connection, tables: dict[str, sa.Table]) -> None:
    """The review queue as a table of its own, and an index for the weekly measure.

    Version 2 ranked the queue on the summary table; at 100,000 conversations a list by
    one reason took seconds on PostgreSQL. The read model is rebuilt after this step
    (bot.store.summary.SUMMARY_VERSION), which fills the new table.
    """
    tables["queue"].create(conn, checkfirst=True)
    summary = tables["summary"]
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes(summary.name)}
    if "ix_staff_summary_review" in indexes:
        conn.exec_driver_sql("DROP INDEX ix_staff_summary_review")
    for index in summary.indexes:
        if index.name == "ix_staff_summary_started_weekly" and index.name not in indexes:
            index.create(conn)


def _v4_fold_state(conn: Connection, tables: dict[str, sa.Table]) -> None:
    """Each visitor's fold state, so a refresh folds only their new events.

    Empty after this step: a visitor without one is folded once from all their events.
    """
    tables["fold_state"].create(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[Connection, dict[str, sa.Table]], None]]] = [
    (1, "initial staff tables", _v1_initial),
    (2, "staff corrections; review queue score and reasons", _v2_review),
    (3, "review queue table; weekly measure index", _v3_queue_table),
    (4, "fold state per visitor: refresh folds only new events", _v4_fold_state),
]
LATEST = MIGRATIONS[-1][0]


def _version_table() -> sa.Table:
    return sa.Table(VERSION_TABLE, sa.MetaData(), sa.Column("version", sa.Integer, nullable=False))


def current_version(conn: Connection) -> int:
    table = _version_table()
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return 0
    return conn.execute(sa.select(sa.func.max(table.c.version))).scalar() or 0


def migrate(engine: Engine, tables: dict[str, sa.Table]) -> list[str]:
    """Apply the pending steps; returns their descriptions (empty when up to date)."""
    applied: list[str] = []
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_LOCK_ID})
        version_table = _version_table()
        version_table.create(conn, checkfirst=True)
        version = current_version(conn)
        for number, description, step in MIGRATIONS:
            if number <= version:
                continue
            step(conn, tables)
            conn.execute(version_table.delete())
            conn.execute(version_table.insert().values(version=number))
            applied.append(f"{number}: {description}")
    return applied
