"""Staff corrections (bot/store/labels.py) and the migration that adds them, on SQLite and
PostgreSQL; the facts vocabulary (bot/review/facts.py)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from bot.review.facts import Fact, domain_intents, from_form, from_json, to_json
from bot.store import labels, migrate, queue, retention, summary
from bot.store.schema import staff_tables
from bot.store.seed import Built
from tests.support.staff import BACKENDS, database_url, fresh_store, insert_rows, open_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def test_a_message_correction_is_saved_edited_and_removed_with_who_and_when(store):
    facts = [Fact("location", "low_back"), Fact("red_flag", "fever", "denied")]
    assert labels.set_message_label(store, "v1", 7, "sam", "inform", facts) == "created"
    [first] = labels.message_labels_of(store, "v1").values()
    assert (first.intent, first.facts, first.created_by) == ("inform", facts, "sam")
    time.sleep(0.01)
    assert labels.set_message_label(store, "v1", 7, "ann", "red_flag", [], "my [NAME]") == "edited"
    edited = labels.message_labels_of(store, "v1")[7]
    assert (edited.intent, edited.facts, edited.text) == ("red_flag", [], "my [NAME]")
    assert (edited.created_by, edited.updated_by) == ("sam", "ann")
    assert edited.updated_at > edited.created_at
    assert labels.set_message_label(store, "v1", 7, "ann", None) == "removed"
    assert labels.message_labels_of(store, "v1") == {}


def test_a_conversation_category_is_editable(store):
    assert labels.set_conversation_label(store, "v1", "sam", "acute") == "created"
    assert labels.set_conversation_label(store, "v1", "ann", "sciatica") == "edited"
    found = labels.conversation_label_of(store, "v1")
    assert (found.category, found.created_by, found.updated_by) == ("sciatica", "sam", "ann")
    assert [c.sender_id for c in labels.all_conversation_labels(store)] == ["v1"]
    assert labels.remove_conversation_label(store, "v1")
    assert labels.conversation_label_of(store, "v1") is None


def test_forgetting_a_visitor_deletes_their_corrections(store):
    insert_rows(store, Built("gone", time.time()).session().user("hi", "greet").rows)
    summary.refresh(store)
    labels.set_message_label(store, "gone", 5, "sam", "greet", [], "hi there")
    labels.set_conversation_label(store, "gone", "sam", "acute")
    retention.forget(store, "gone")
    assert labels.message_labels_of(store, "gone") == {}
    assert labels.conversation_label_of(store, "gone") is None


def _version_1_database(url: str) -> None:
    """The staff tables as migration 1 shipped them (no corrections, no queue columns)."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    tables = staff_tables(metadata)
    summary_table = tables["summary"]
    summary_table._columns.remove(summary_table.c.review_score)
    summary_table._columns.remove(summary_table.c.review_reasons)
    for index in list(summary_table.indexes):
        if index.name == "ix_staff_summary_started_weekly":
            summary_table.indexes.discard(index)
    new = ("message_labels", "conversation_labels", "queue", "fold_state")
    old = {k: v for k, v in tables.items() if k not in new}
    with engine.begin() as conn:
        for table in old.values():
            table.create(conn)
        version = migrate._version_table()
        version.create(conn)
        conn.execute(version.insert().values(version=1))
    engine.dispose()


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_version_1_database_is_migrated_and_its_read_model_rebuilt(kind, tmp_path):
    with database_url(kind, tmp_path) as url:
        _version_1_database(url)
        store = open_store(url)
        try:
            from bot.store.seed import ensure_events_table

            ensure_events_table(store.tracker)
            b = Built("old", time.time()).session()
            b.user("I can't hold my bladder", "red_flag", 1.0).slot("red_flags", ["fever"])
            insert_rows(store, b.rows)
            assert store.migrate() == [
                "2: staff corrections; review queue score and reasons",
                "3: review queue table; weekly measure index",
                "4: fold state per visitor: refresh folds only new events",
            ]
            assert store.migrate() == []
            summary.refresh(store)
            table = store.t("summary")
            with store.staff.connect() as conn:
                row = conn.execute(sa.select(table).where(table.c.sender_id == "old")).one()
            assert row.review_score > 0 and "red_flag" in row.review_reasons
            assert queue.page(store).total == 1
            labels.set_conversation_label(store, "old", "sam", "emergency")
            assert queue.page(store).total == 0
            indexes = {i["name"] for i in sa.inspect(store.staff).get_indexes(table.name)}
            assert "ix_staff_summary_started_weekly" in indexes
            assert "ix_staff_summary_review" not in indexes
        finally:
            store.dispose()


def test_facts_from_the_correction_form():
    form = {
        "location": ["low_back"],
        "side": [""],
        "duration_days": ["21"],
        "leg_numbness": ["denied"],
        "red_flag_present": ["saddle_numbness"],
        "red_flag_denied": ["fever", "fever"],
    }
    facts = from_form(form)
    assert facts == [
        Fact("location", "low_back"),
        Fact("duration_days", 21.0),
        Fact("leg_numbness", None, "denied"),
        Fact("red_flag", "saddle_numbness", "present"),
        Fact("red_flag", "fever", "denied"),
    ]
    assert from_json(to_json(facts)) == facts


@pytest.mark.parametrize(
    "form, problem",
    [
        ({"location": ["moon"]}, "location"),
        ({"duration_days": ["ages"]}, "duration_days"),
        ({"duration_days": ["-3"]}, "duration_days"),
        ({"leg_weakness": ["maybe"]}, "assertion"),
        ({"red_flag_present": ["itchy_toes"]}, "red_flag"),
        ({"red_flag_present": ["fever"], "red_flag_denied": ["fever"]}, "both"),
    ],
)
def test_malformed_facts_are_refused(form, problem):
    with pytest.raises(ValueError, match=problem):
        from_form(form)


def test_stored_facts_outside_todays_vocabulary_are_dropped():
    assert from_json('[{"fact": "location", "value": "moon", "assertion": "present"}]') == []
    assert from_json("not json") == []


def test_the_intents_staff_choose_from_are_the_domains_without_the_fallback():
    intents = domain_intents()
    assert "inform" in intents and "red_flag" in intents and "nlu_fallback" not in intents
