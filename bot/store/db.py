"""SQLAlchemy engines for SQLite and PostgreSQL with the settings the staff app needs."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from bot.runtime.private_files import private_file

SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Rasa writes the same file: wait for its short write locks instead of failing.
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections are pooled and usable from threads."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))  # 600 in a 700 folder: visitors' words
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            poolclass=QueuePool,
            pool_size=4,
            max_overflow=4,
            future=True,
        )
        sa.event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, future=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def same_database(a: Engine, b: Engine) -> bool:
    """Whether two engines point at one database (so one transaction can cover both)."""
    return a is b or str(a.url) == str(b.url)
