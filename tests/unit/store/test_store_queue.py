"""The review queue table (bot/store/queue.py) on SQLite and PostgreSQL: kept in step with
the read model, reviews, categories and retention; ranked; one reason at a time."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from bot.store import labels, queue, retention, reviews, summary
from bot.store.seed import Built
from tests.support.staff import BACKENDS, fresh_store, insert_rows

NOW = time.time()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def conversations(store):
    flagged = Built("flag", NOW - 50).session().user("can't pee", "red_flag", 1.0)
    flagged.slot("red_flags", ["bladder_dysfunction"])
    unsure = Built("unsure", NOW - 40).session().user("erm the thing", "inform", 0.4)
    unsure_too = Built("unsure-2", NOW - 30).session().user("hmm", "inform", 0.3)
    fine = Built("fine", NOW - 20).session().user("my back hurts", "inform", 0.99)
    fine.action("action_assess_triage").slot("triage_result", "acute")
    insert_rows(store, flagged.rows + unsure.rows + unsure_too.rows + fine.rows)
    summary.refresh(store)


def ids(found):
    return [row["sender_id"] for row in found.rows]


def test_ranked_by_score_then_newest_and_filtered_by_reason(store):
    conversations(store)
    everything = queue.page(store)
    assert ids(everything) == ["flag", "unsure-2", "unsure"] and everything.total == 3
    assert everything.rows[0]["reasons"] == ["a red flag was raised"]
    assert ids(queue.page(store, reason="low_confidence")) == ["unsure-2", "unsure"]
    assert ids(queue.page(store, reason="red_flag")) == ["flag"]
    assert queue.page(store, reason="nonsense").total == 3  # unknown reason: everything
    second = queue.page(store, page_number=2, per_page=2)
    assert ids(second) == ["unsure"] and second.pages == 2


def test_reviews_categories_and_new_events_move_rows_in_and_out(store):
    conversations(store)
    reviews.set_reviewed(store, "flag", "sam")
    assert "flag" not in ids(queue.page(store))
    reviews.set_reviewed(store, "flag", "sam", reviewed=False)
    assert ids(queue.page(store))[0] == "flag"
    labels.set_conversation_label(store, "unsure", "sam", "acute")
    assert ids(queue.page(store, reason="low_confidence")) == ["unsure-2"]
    labels.remove_conversation_label(store, "unsure")
    assert queue.page(store, reason="low_confidence").total == 2
    # The visitor writes again: still low confidence, now also a fallback; reviewed stays out.
    reviews.set_reviewed(store, "unsure-2", "sam")
    more = (
        Built("unsure-2", NOW).user("blorp", "nlu_fallback", 0.2).action("action_handle_fallback")
    )
    insert_rows(store, more.rows)
    summary.refresh(store)
    assert "unsure-2" not in ids(queue.page(store))
    reviews.set_reviewed(store, "unsure-2", "sam", reviewed=False)
    assert ids(queue.page(store, reason="fallback")) == ["unsure-2"]


def test_forget_and_purge_leave_no_queue_rows(store):
    conversations(store)
    retention.forget(store, "flag")
    old = Built("ancient", NOW - 400 * 86_400).session().user("hmm", "inform", 0.3)
    insert_rows(store, old.rows)
    summary.refresh(store)
    assert "ancient" in ids(queue.page(store))
    retention.purge(store, 365)
    table = store.t("queue")
    with store.staff.connect() as conn:
        left = set(conn.execute(sa.select(table.c.sender_id).distinct()).scalars())
    assert left == {"unsure", "unsure-2"}


def test_a_rebuild_gives_the_same_queue(store):
    conversations(store)
    reviews.set_reviewed(store, "unsure", "sam")
    before = ids(queue.page(store))
    summary.rebuild(store)
    assert ids(queue.page(store)) == before == ["flag", "unsure-2"]
