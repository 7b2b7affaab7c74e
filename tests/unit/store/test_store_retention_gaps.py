"""Issue 17, retention and forget: what the read model never saw, and the audit log.

On PostgreSQL two Rasa workers can commit events out of id order: the read model's
watermark may pass an id before its row is visible. Such events were never folded (never
shown to staff, even with a red flag) and never purged. And the audit log kept each
visitor's id (for SMS a phone number) for ever, also after "forget".
"""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa

from bot.store import audit, conversations, retention, summary
from bot.store.seed import Built
from tests.support.staff import BACKENDS, fresh_store

DAY = 86_400


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def chat(sender: str, start: float, first_id: int) -> list:
    built = Built(sender, start).session()
    built.user("my back hurts", "inform").user("no", "deny")
    return [dict(row, id=first_id + n) for n, row in enumerate(built.rows)]


def insert(store, rows) -> None:
    from bot.store import seed

    with store.tracker.begin() as conn:
        seed.insert(conn, store.events, rows)
        if conn.dialect.name == "postgresql":  # explicit ids: move the sequence past them
            conn.execute(sa.text("SELECT setval('events_id_seq', (SELECT max(id) FROM events))"))


def test_an_event_committed_late_below_the_watermark_is_folded(store):
    now = time.time()
    insert(store, chat("early-commit", now - 30, first_id=1000))
    summary.refresh(store)  # the watermark passes 1000
    insert(store, chat("late-commit", now - 20, first_id=900))  # ids below it, seen later
    summary.refresh(store)
    assert conversations.get(store, "late-commit") is not None


def test_purge_finds_old_conversations_the_read_model_never_saw(store):
    now = time.time()
    insert(store, chat("never-folded", now - 40 * DAY, first_id=10))
    done = retention.purge(store, 30, now=now)
    assert done.conversations == 1
    with store.tracker.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.events)).scalar() == 0


def test_forget_and_purge_leave_no_visitor_id_in_the_audit_log(store):
    now = time.time()
    insert(store, chat("+15875550123", now - 40 * DAY, first_id=10))
    insert(store, chat("+15875550999", now - 60, first_id=100))
    summary.refresh(store)
    audit.record(store, "ann", "review", "+15875550123")
    audit.record(store, "ann", "review", "+15875550999")
    retention.purge(store, 30, now=now)
    retention.forget(store, "+15875550999")
    targets = [row["target"] for row in audit.recent(store)]
    assert not any("5875550" in (t or "") for t in targets), targets
    assert all((t or "").startswith("forgotten-") for t in targets), targets


def test_the_forget_command_and_the_admin_page_log_a_pseudonym_not_the_id(tmp_path, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("BACKCHAT_TRACKER_DB_URL", raising=False)
    monkeypatch.delenv("BACKCHAT_STAFF_DB_URL", raising=False)
    with fresh_store("sqlite", tmp_path) as store:
        insert(store, chat("+15875550123", time.time() - 60, first_id=10))
        assert main(["forget", "+15875550123"], out=io.StringIO(), err=io.StringIO()) == 0
        [row] = audit.recent(store, action="forget")
        assert row["target"].startswith("forgotten-")
