"""Accounts, sessions, login throttle, audit, retention and migrations, on both databases."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.harness.staff import PASSWORD
from bot.store import (
    accounts,
    audit,
    conversations,
    open_store,
    retention,
    reviews,
    sessions,
    summary,
)
from bot.store import throttle as throttling
from bot.store.events import events_table
from bot.store.filters import ConversationFilter
from bot.store.migrate import LATEST, current_version
from bot.store.seed import Built, ensure_events_table
from tests.support.staff import BACKENDS, fresh_store, insert_rows

DAY = 86_400


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def chat(sender, start, turns=2):
    b = Built(sender, start).session()
    for n in range(turns):
        b.user(f"message {n} from {sender}", "inform")
    return b.rows


def test_accounts_and_passwords(store):
    ann = accounts.add_user(store, "Ann", PASSWORD, "admin")
    assert (ann.name, ann.role, ann.is_admin) == ("ann", "admin", True)
    with store.staff.connect() as conn:
        stored = conn.execute(sa.select(store.t("users").c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(store, "ANN", PASSWORD) == ann
    assert accounts.authenticate(store, "ann", "wrong password!") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None
    with pytest.raises(accounts.AccountError, match="already"):
        accounts.add_user(store, "ann", PASSWORD)
    with pytest.raises(accounts.AccountError, match="at least"):
        accounts.add_user(store, "bob", "short")
    with pytest.raises(accounts.AccountError, match="role"):
        accounts.add_user(store, "bob", PASSWORD, "root")
    with pytest.raises(accounts.AccountError, match="name"):
        accounts.add_user(store, "bob smith", PASSWORD)
    assert accounts.set_password(store, "ann", "another long one")
    assert accounts.authenticate(store, "ann", "another long one") == ann
    assert accounts.remove_user(store, "ann") and not accounts.remove_user(store, "ann")
    assert accounts.authenticate(store, "ann", "another long one") is None


def test_sessions_end_on_logout_password_change_and_removal(store):
    ann = accounts.add_user(store, "ann", PASSWORD)
    token, expires = sessions.create(store, ann, 3600)
    assert expires > time.time() and sessions.user_of(store, token) == ann
    assert sessions.user_of(store, token + "x") is None
    sessions.end(store, token)
    assert sessions.user_of(store, token) is None
    token, _ = sessions.create(store, ann, 3600)
    accounts.set_password(store, "ann", "a brand new password")
    assert sessions.user_of(store, token) is None
    token, _ = sessions.create(store, ann, 3600)
    accounts.remove_user(store, "ann")
    assert sessions.user_of(store, token) is None
    bob = accounts.add_user(store, "bob", PASSWORD)
    expired, _ = sessions.create(store, bob, -1)
    assert sessions.user_of(store, expired) is None


def test_login_throttle_per_name_and_per_address(store):
    limits = throttling.Limits(per_name=3, per_address=5, window_s=60)
    for _ in range(3):
        assert throttling.retry_after(store, "ann", "10.0.0.1", limits) == 0
        throttling.failed(store, "ann", "10.0.0.1", limits)
    wait = throttling.retry_after(store, "Ann", "10.0.0.2", limits)
    assert 50 < wait <= 60  # the name is blocked from any address
    assert throttling.retry_after(store, "bob", "10.0.0.2", limits) == 0
    for _ in range(2):
        throttling.failed(store, "carol", "10.0.0.1", limits)
    assert throttling.retry_after(store, "dave", "10.0.0.1", limits) > 0  # the address too
    throttling.succeeded(store, "ann")
    assert throttling.retry_after(store, "ann", "10.0.0.3", limits) == 0


def test_audit_log(store):
    audit.record(store, "ann", "review", "visitor-1", {"tag": "x"}, "127.0.0.1")
    audit.record(store, "bob", "login")
    rows = audit.recent(store)
    assert [(r["actor"], r["action"]) for r in rows] == [("bob", "login"), ("ann", "review")]
    assert rows[1]["target"] == "visitor-1" and rows[1]["detail"] == '{"tag": "x"}'
    assert [r["actor"] for r in audit.recent(store, actor="ann")] == ["ann"]


def test_purge_deletes_old_conversations_everywhere(store):
    now = time.time()
    insert_rows(store, chat("old", now - 40 * DAY) + chat("new", now - 2 * DAY))
    summary.refresh(store)
    reviews.add_note(store, "old", "ann", "called back")
    reviews.add_tag(store, "old", "done")
    done = retention.purge(store, 30, now=now)
    assert done.conversations == 1 and done.events == len(chat("old", 0))
    with store.tracker.connect() as conn:
        left = set(conn.execute(sa.select(store.events.c.sender_id).distinct()).scalars())
    assert left == {"new"}
    assert reviews.notes_of(store, "old") == []
    assert conversations.get(store, "old") is None and conversations.get(store, "new")
    with pytest.raises(ValueError):
        retention.purge(store, 0)


def test_purge_spares_a_visitor_who_came_back_since_the_last_refresh(store):
    now = time.time()
    insert_rows(store, chat("back", now - 40 * DAY))
    summary.refresh(store)
    insert_rows(store, chat("back", now - 60))  # not folded yet
    assert retention.purge(store, 30, now=now).conversations == 0
    summary.refresh(store)
    assert conversations.get(store, "back")["turns"] == 4


def test_forget_deletes_one_visitor_and_new_events_are_still_seen(store):
    now = time.time()
    insert_rows(store, chat("keep", now - 100) + chat("gone", now - 50))
    summary.refresh(store)
    done = retention.forget(store, "gone")
    assert done.events == len(chat("gone", 0)) and conversations.get(store, "gone") is None
    # SQLite hands out the deleted ids again: the read model must still see new events.
    insert_rows(store, chat("later", now))
    summary.refresh(store)
    assert conversations.get(store, "later")["turns"] == 2
    assert conversations.count(store, ConversationFilter(), ZoneInfo("UTC")) == 2


def test_migrations_are_applied_once(store):
    assert store.migrate() == []
    with store.staff.connect() as conn:
        assert current_version(conn) == LATEST


def test_the_events_table_is_the_one_rasa_creates():
    from rasa.core.tracker_store import SQLTrackerStore

    rasa = SQLTrackerStore.SQLEvent.__table__
    ours = events_table(sa.MetaData())
    assert [(c.name, type(c.type), c.nullable, c.primary_key) for c in ours.columns] == [
        (c.name, type(c.type), c.nullable, c.primary_key) for c in rasa.columns
    ]
    assert {i.name for i in ours.indexes} == {i.name for i in rasa.indexes}


def test_staff_tables_can_live_in_another_database(tmp_path):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    staff_url = f"sqlite:///{tmp_path / 'staff.db'}"
    store = open_store(tracker_url, staff_url)
    try:
        store.migrate()
        ensure_events_table(store.tracker)
        insert_rows(store, chat("v", time.time()))
        summary.refresh(store)
        assert conversations.get(store, "v")["turns"] == 2
        assert not sa.inspect(store.tracker).has_table("staff_summary")
        retention.forget(store, "v")
        assert conversations.get(store, "v") is None
    finally:
        store.dispose()


def test_no_events_table_yet(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        store.migrate()
        assert summary.refresh(store).events == 0
        assert retention.forget(store, "anyone").events == 0
    finally:
        store.dispose()
