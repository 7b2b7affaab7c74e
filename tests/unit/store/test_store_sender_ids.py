"""Conversations stored under a platform's bare id move into their channel's namespace."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from bot.store import reviews, summary
from bot.store.seed import Built
from bot.store.sender_ids import namespace_stored_ids
from tests.support.staff import BACKENDS, fresh_store, insert_rows


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def chat(sender: str, channel: str, start: float, *texts: str) -> list:
    built = Built(sender, start, channel=channel).session()
    for text in texts:
        built.user(text, "inform")
    return built.rows


def senders(store) -> dict:
    events = store.events
    query = sa.select(events.c.sender_id, sa.func.count()).group_by(events.c.sender_id)
    with store.tracker.connect() as conn:
        return dict(conn.execute(query).all())


def test_platform_conversations_get_their_namespace_and_rest_ones_keep_their_id(store):
    now = time.time() - 3600
    insert_rows(store, chat("whatsapp:+15875550123", "twilio", now, "hi", "my back"))
    insert_rows(store, chat("123456", "telegram", now, "hi"))
    insert_rows(store, chat("0123456789abcdef0123456789abcdef", "socketio", now, "hi"))
    insert_rows(store, chat("eval-v001-0123abcd", "rest", now, "hi"))
    summary.refresh(store)
    reviews.set_reviewed(store, "123456", "ann")

    done = namespace_stored_ids(store)

    assert done.conversations == {
        "whatsapp:+15875550123": "twilio:whatsapp:+15875550123",
        "123456": "telegram:123456",
        "0123456789abcdef0123456789abcdef": "socketio:0123456789abcdef0123456789abcdef",
    }
    assert set(senders(store)) == {
        "twilio:whatsapp:+15875550123",
        "telegram:123456",
        "socketio:0123456789abcdef0123456789abcdef",
        "eval-v001-0123abcd",
    }
    with store.staff.connect() as conn:
        listed = set(conn.execute(sa.select(store.t("summary").c.sender_id)).scalars())
        reviewed = set(conn.execute(sa.select(store.t("reviews").c.sender_id)).scalars())
    assert listed == set(senders(store))
    assert reviewed == {"telegram:123456"}
    assert namespace_stored_ids(store).conversations == {}  # a second run changes nothing


def test_a_conversation_a_rest_caller_wrote_into_stays_with_the_platform_visitor(store):
    now = time.time() - 3600
    rows = chat("+15875550123", "twilio", now, "hi")
    rows += chat("+15875550123", "rest", now + 60, "not sure")[-1:]  # the attack of issue 17
    insert_rows(store, rows)
    assert namespace_stored_ids(store).conversations == {"+15875550123": "twilio:+15875550123"}


def test_old_and_new_events_of_one_visitor_are_merged_but_a_squatted_id_is_left(store):
    now = time.time() - 3600
    insert_rows(store, chat("777", "telegram", now, "hi"))
    insert_rows(store, chat("telegram:777", "telegram", now + 60, "again"))
    insert_rows(store, chat("888", "telegram", now, "hi"))
    insert_rows(store, chat("telegram:888", "rest", now + 60, "squatting"))
    done = namespace_stored_ids(store)
    assert done.conversations == {"777": "telegram:777"} and done.skipped == ["888"]
    assert senders(store)["telegram:777"] == len(chat("x", "telegram", 0, "a")) * 2
