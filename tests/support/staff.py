"""Test support for the staff area: stores on SQLite or PostgreSQL, a served app, a client.

PostgreSQL tests use BACKCHAT_TEST_PG_URL (default: the local server, database
``test``), each in a schema of its own that is dropped afterwards; they are skipped,
with the reason, only when that server cannot be reached.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.harness.staff import DatabaseUnavailable
from bot.harness.staff import database_url as served_database_url
from bot.store import Store, open_store, seed
from bot.store.events import Event

HERE = Path(__file__).resolve().parent
REAL_EVENTS = HERE / "fixtures" / "real_events.jsonl"
BACKENDS = ("sqlite", "postgresql")


@contextlib.contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """The harness's fresh database; the test is skipped, with the reason, without PostgreSQL."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(served_database_url(kind, folder))
        except DatabaseUnavailable as error:
            pytest.skip(str(error))
        yield url


@contextlib.contextmanager
def fresh_store(kind: str, folder: Path, low_confidence: float = 0.6) -> Iterator[Store]:
    """A migrated Store with Rasa's (empty) events table."""
    with database_url(kind, folder) as url:
        store = open_store(url, low_confidence=low_confidence)
        try:
            store.migrate()
            seed.ensure_events_table(store.tracker)
            yield store
        finally:
            store.dispose()


def real_rows() -> list[dict]:
    """Events recorded from the real stack: emergency, call-back, fallback, chronic."""
    return seed.load_jsonl(REAL_EVENTS)


def as_events(rows: list[dict]) -> list[Event]:
    """Rows as the store reads them back (ids in order from 1)."""
    return [
        Event.from_row(
            (
                n,
                r["sender_id"],
                r["type_name"],
                r["timestamp"],
                r["intent_name"],
                r["action_name"],
                json.dumps(r["data"]),
            )
        )  # fmt: skip
        for n, r in enumerate(rows, start=1)
    ]


def insert_rows(store: Store, rows: list[dict]) -> None:
    with store.tracker.begin() as conn:
        seed.insert(conn, store.events, rows)


def run_cli(*argv: str, stdin: str = ""):
    """Run ``backchat`` (bot.cli.main) in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, stdin=io.StringIO(stdin), err=err)
    return code, out.getvalue(), err.getvalue()
