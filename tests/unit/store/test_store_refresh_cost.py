"""Issue 17, item 5f: a refresh reads a conversation's new events only, not all of them.

Before, every visitor with a new event was folded again from all their events, so a
visitor who kept a conversation going made each refresh cost its whole length. Events
read are counted where every read of the events table decodes them (``Event.from_row``).
The read model after incremental refreshes must equal a rebuild from all the events.
"""

from __future__ import annotations

import random
import time

import pytest
import sqlalchemy as sa

from bot.store import seed, summary
from bot.store.events import Event
from bot.store.seed import Built, by_sender, clone
from tests.support.staff import BACKENDS, fresh_store, real_rows

LONG = 600  # turns of the long conversation (3,004 events)
NEW = 2  # turns it receives before the measured refresh (10 events)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def turn(built: Built, n: int) -> Built:
    """One visitor turn of five events, varied: fallback, a form, a flag, a call-back."""
    kind = n % 5
    if kind == 0:
        built.user(f"qwerty {n}", "nlu_fallback", 0.3).action("action_handle_fallback")
        return (
            built.bot("Sorry?", "utter_fallback_rephrase")
            .action("action_listen")
            .slot("requested_slot", None)
        )
    if kind == 1:
        built.user(f"my back {n}", "inform").loop("triage_form").slot("requested_slot", "onset")
        return built.bot("Since when?", "utter_ask_onset").action("action_listen")
    if kind == 2:
        flag = [{"entity": "red_flag", "value": "fever"}]
        built.user(f"fever {n}?", "red_flag", 0.5, entities=flag).slot("red_flags", ["fever"])
        return built.bot("Call 911", "utter_emergency").loop(None).action("action_listen")
    if kind == 3:
        built.user(f"/affirm {n}", "affirm").slot("callback_name", f"Jo {n}")
        return (
            built.slot("callback_requested", True)
            .bot("Book", "utter_offer_booking")
            .action("action_listen")
        )
    built.user(f"still {n}", "inform").slot("requested_slot", "onset")
    return (
        built.bot("Since when?", "utter_ask_onset")
        .slot("needs_staff_review", True)
        .action("action_listen")
    )


def insert(store, rows) -> None:
    with store.tracker.begin() as conn:
        seed.insert(conn, store.events, rows)
        if conn.dialect.name == "postgresql" and any("id" in row for row in rows):
            conn.execute(sa.text("SELECT setval('events_id_seq', (SELECT max(id) FROM events))"))


def read_model(store) -> dict:
    """Every read-model row, and the call-backs (without their own ids and status)."""
    wanted = {
        "summary": None, "search": None, "fallback_turns": None, "queue": None,
        "callbacks": ["sender_id", "event_id", "requested_at", "name", "contact"],
    }  # fmt: skip
    out = {}
    with store.staff.connect() as conn:
        for name, columns in wanted.items():
            table = store.t(name)
            cols = [table.c[c] for c in columns] if columns else list(table.c)
            out[name] = sorted(tuple(r) for r in conn.execute(sa.select(*cols)))
    return out


def assert_same_as_a_rebuild(store) -> None:
    incremental = read_model(store)
    summary.rebuild(store)
    assert read_model(store) == incremental


def events_read_by_refresh(store, monkeypatch) -> int:
    count = {"rows": 0}
    decode = Event.from_row.__func__

    def counting(cls, row):
        count["rows"] += 1
        return decode(cls, row)

    monkeypatch.setattr(Event, "from_row", classmethod(counting))
    summary.refresh(store)
    monkeypatch.undo()
    return count["rows"]


def test_a_refresh_reads_the_new_events_not_the_whole_conversation(store, monkeypatch):
    built = Built("talker", time.time() - 3600).session()
    for n in range(LONG):
        turn(built, n)
    insert(store, built.rows)
    summary.refresh(store)
    old = len(built.rows)
    for n in range(LONG, LONG + NEW):
        turn(built, n)
    new = len(built.rows) - old
    insert(store, built.rows[old:])
    read = events_read_by_refresh(store, monkeypatch)
    assert old >= 3000 and new == 10
    assert read <= new, f"{read} events read for {new} new ones (conversation of {old})"
    assert_same_as_a_rebuild(store)


def test_recorded_conversations_refreshed_piece_by_piece_equal_a_rebuild(store):
    start, rng = time.time() - 3600, random.Random(5)
    rows = []
    for n, conversation in enumerate(by_sender(real_rows()).values()):
        rows.extend(clone(conversation, f"real-{n}", start + n))
    for step in range(4):  # interleaved senders, cut anywhere
        cuts = sorted(rng.sample(range(1, len(rows)), 6))
        pieces = [rows[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)], strict=False)]
        for piece in pieces:
            insert(store, [dict(r, sender_id=f"{r['sender_id']}-{step}") for r in piece])
            summary.refresh(store)
    assert_same_as_a_rebuild(store)


def test_generated_conversations_refreshed_in_increments_equal_a_rebuild(store):
    rng, start = random.Random(17), time.time() - 3600
    talks = {f"gen-{n}": Built(f"gen-{n}", start + n).session() for n in range(12)}
    for _ in range(120):
        built = talks[rng.choice(sorted(talks))]
        first = len(built.rows)
        turn(built, rng.randrange(5))
        insert(store, built.rows[first:])
        if rng.random() < 0.3:
            summary.refresh(store)
    summary.refresh(store)
    assert_same_as_a_rebuild(store)


def test_events_committed_late_below_the_watermark_are_folded_onto_the_state(store):
    now = time.time()

    def rows(sender: str, first_id: int, turns: range) -> list:
        built = Built(sender, now - 60)
        for n in turns:
            turn(built, n)
        return [dict(row, id=first_id + i) for i, row in enumerate(built.rows)]

    insert(store, rows("slow", 1000, range(0, 5)))
    summary.refresh(store)
    insert(store, rows("fast", 2000, range(0, 5)))
    summary.refresh(store)  # the watermark passes 2000
    insert(store, rows("slow", 1500, range(5, 10)))  # committed late, below it
    summary.refresh(store)
    with store.staff.connect() as conn:
        table = store.t("summary")
        top = sa.select(table.c.last_event_id).where(table.c.sender_id == "slow")
        assert conn.execute(top).scalar() == 1524
    assert_same_as_a_rebuild(store)


def test_a_store_of_version_3_gets_the_state_table_and_folds_each_visitor_once(store):
    built = Built("before", time.time() - 60).session()
    turn(turn(built, 0), 1)
    insert(store, built.rows)
    summary.refresh(store)
    with store.staff.begin() as conn:  # as the store was before this change
        conn.exec_driver_sql("DROP TABLE staff_fold_state")
        conn.exec_driver_sql("UPDATE staff_schema_version SET version = 3")
    assert store.migrate() == ["4: fold state per visitor: refresh folds only new events"]
    first = len(built.rows)
    turn(built, 2)
    insert(store, built.rows[first:])
    summary.refresh(store)  # no state yet: folded from all its events, state kept
    with store.staff.connect() as conn:
        kept = conn.execute(sa.select(sa.func.count()).select_from(store.t("fold_state")))
        assert kept.scalar() == 1
    assert_same_as_a_rebuild(store)
