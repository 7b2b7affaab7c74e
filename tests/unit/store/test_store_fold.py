"""The read model from events: turns, flags and summaries (pure, no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store.fold import fold
from bot.store.seed import Built, by_sender
from bot.store.turns import split_turns
from tests.support.staff import as_events, real_rows

REAL = {sender: as_events(rows) for sender, rows in by_sender(real_rows()).items()}


def test_an_emergency_is_a_red_flag_with_its_flags():
    s = fold(REAL["visitor-emergency"]).summary
    assert s["triage_result"] == "emergency" and s["urgency"] == "emergency"
    assert s["red_flag"] is True
    assert s["red_flags"] == "bladder_dysfunction,saddle_numbness"
    assert s["needs_review"] is True and s["reached_booking"] is False
    assert s["turns"] == 3 and s["channel"] == "rest"


def test_a_callback_request_carries_name_and_contact():
    folded = fold(REAL["visitor-callback"])
    assert folded.summary["callback_requested"] is True
    [request] = folded.callbacks
    assert request["name"] == "Jane <b>Doe</b>" and request["contact"] == "780-555-0199"


def test_a_name_typed_into_the_callback_form_is_not_a_failure():
    """NLU says nlu_fallback for a name; the bot was waiting for free text."""
    folded = fold(REAL["visitor-callback"])
    assert folded.summary["low_confidence"] == 0 and folded.fallback_turns == []
    name_turn = next(
        t for t in split_turns(REAL["visitor-callback"]) if t.text == "Jane <b>Doe</b>"
    )
    assert name_turn.intent == "nlu_fallback" and name_turn.awaited_slot == "callback_name"
    assert not name_turn.low_confidence


def test_a_fallback_turn_is_counted_and_kept_for_the_overview():
    folded = fold(REAL["visitor-fallback"])
    assert folded.summary["fallbacks"] == 1 and folded.summary["low_confidence"] == 1
    assert [t["text"] for t in folded.fallback_turns] == ["qwerty zxcv blorp"]


def test_a_booking_offer_is_seen_and_button_payloads_are_not_searchable():
    folded = fold(REAL["visitor-chronic"])
    s = folded.summary
    assert s["triage_result"] == "chronic" and s["reached_booking"] is True
    assert "6 months" in folded.search_text
    assert "/inform" not in folded.search_text


def test_turns_collect_slots_actions_and_bot_messages():
    turns = split_turns(REAL["visitor-emergency"])
    assert not turns[0].is_visitor and turns[0].session_started
    last = turns[-1]
    assert last.intent == "red_flag" and last.confidence == 1.0
    assert ("triage_result", "emergency") in last.slots
    assert "action_assess_triage" in last.actions
    assert last.bot[0]["response"] == "utter_emergency"
    assert len([name for name, _ in turns[2].slots if name == "pain_location"]) == 1


def test_low_confidence_depends_on_the_threshold():
    built = Built("v", 1000.0).session().user("hmm my back maybe", "inform", confidence=0.55)
    events = as_events(built.rows)
    assert fold(events, low_confidence=0.6).summary["low_confidence"] == 1
    assert fold(events, low_confidence=0.5).summary["low_confidence"] == 0


def test_no_events_fold_to_nothing():
    assert fold([]) is None


INTENTS = st.sampled_from(["greet", "inform", "nlu_fallback", "affirm", "red_flag"])
MESSAGE = st.tuples(
    st.text(min_size=1, max_size=30), INTENTS, st.floats(0, 1), st.booleans(), st.booleans()
)


@settings(max_examples=60, deadline=None)
@given(st.lists(MESSAGE, max_size=12))
def test_counts_are_consistent_whatever_the_conversation(messages):
    built = Built("visitor", 1_700_000_000.0).session()
    for text, intent, confidence, fallback, booked in messages:
        built.user(text, intent, confidence)
        if fallback:
            built.action("action_handle_fallback").bot("Sorry?", "utter_fallback_rephrase")
        if booked:
            built.bot("Book here", "utter_offer_booking")
    events = as_events(built.rows)
    folded = fold(events)
    s = folded.summary
    assert s["turns"] == len(messages)
    assert 0 <= s["fallbacks"] <= s["low_confidence"] <= s["turns"]
    assert s["reached_booking"] == any(m[4] for m in messages)
    assert len(folded.fallback_turns) <= s["fallbacks"]
    assert fold(events).summary == s  # deterministic: refreshing twice changes nothing
