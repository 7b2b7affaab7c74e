"""Issue 17, item 5f: folding a few events onto a stored state gives what a full fold gives.

Compared with bot.store.fold.fold over all the events, on the recorded conversations and
on generated ones, cut into increments at every place and stored as JSON in between.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store.events import Event
from bot.store.fold import fold
from bot.store.fold_state import FoldState, fold_onto
from bot.store.seed import by_sender
from tests.support.staff import as_events, real_rows

REAL = {sender: as_events(rows) for sender, rows in by_sender(real_rows()).items()}
THRESHOLD = 0.6


def fold_in_steps(events: Sequence[Event], cuts: Sequence[int]) -> dict:
    """Fold in increments, through JSON, applying rows as bot.store.summary writes them."""
    state, fallback = None, {}
    callbacks: dict[int, dict] = {}
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(events))), len(events)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        folded = fold_onto(state, events[start:end], THRESHOLD)
        if folded.fallback_ids is None:
            fallback.clear()
        for event_id in folded.fallback_ids or []:
            fallback.pop(event_id, None)
        for row in folded.fallback_turns:
            assert row["event_id"] not in fallback  # the table's primary key
            fallback[row["event_id"]] = row
        for row in folded.callbacks:
            callbacks.setdefault(row["event_id"], row)
        state = FoldState.from_json(folded.state.to_json(), THRESHOLD)
        assert state is not None
        last = folded
    return {
        "summary": last.summary,
        "search_text": last.search_text,
        "fallback_turns": sorted(fallback.values(), key=lambda r: r["event_id"]),
        "callbacks": sorted(callbacks.values(), key=lambda r: r["event_id"]),
    }


def full(events: Sequence[Event]) -> dict:
    folded = fold(events, THRESHOLD)
    return {
        "summary": folded.summary,
        "search_text": folded.search_text,
        "fallback_turns": folded.fallback_turns,
        "callbacks": folded.callbacks,
    }


def test_every_recorded_conversation_folds_the_same_cut_anywhere():
    for events in REAL.values():
        expected = full(events)
        for cut in range(len(events) + 1):
            assert fold_in_steps(events, [cut]) == expected
        assert fold_in_steps(events, range(len(events))) == expected  # one event at a time


def test_a_state_of_another_threshold_or_version_is_not_used():
    folded = fold_onto(None, REAL["visitor-fallback"], THRESHOLD)
    stored = folded.state.to_json()
    assert FoldState.from_json(stored, 0.5) is None
    assert FoldState.from_json(stored.replace('"version":1', '"version":0'), THRESHOLD) is None
    assert FoldState.from_json("not json", THRESHOLD) is None


TEXT = st.text(alphabet="aBΣσς /İx\n", min_size=0, max_size=12)
SLOTS = st.sampled_from(
    ["requested_slot", "triage_result", "triage_urgency", "red_flags", "needs_staff_review",
     "callback_name", "callback_contact", "callback_requested", "pain_location"]
)  # fmt: skip
SLOT_VALUES = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["callback_name", "pain_location", "emergency"]),
    TEXT, st.lists(st.text(alphabet="abcdefghij_", max_size=40), max_size=12),
)  # fmt: skip
ACTIONS = st.sampled_from(
    ["action_session_start", "action_listen", "action_handle_fallback",
     "action_default_fallback", "action_assess_triage", None]
)  # fmt: skip


@st.composite
def an_event(draw) -> tuple:
    kind = draw(st.sampled_from(["user", "action", "slot", "bot", "active_loop"]))
    if kind == "user":
        entities = [{"entity": draw(st.sampled_from(["red_flag", "duration"]))}]
        data = {
            "text": draw(st.one_of(TEXT, st.none(), st.text(max_size=700))),
            "parse_data": {
                "intent": {
                    "name": draw(st.sampled_from(["inform", "nlu_fallback", "red_flag", None])),
                    "confidence": draw(st.one_of(st.floats(0, 1), st.none())),
                },
                "entities": draw(st.sampled_from([[], entities])),
            },
            "input_channel": draw(st.sampled_from([None, "rest", "socketio"])),
        }
        return kind, None, data
    if kind == "action":
        name = draw(ACTIONS)
        return kind, name, {"name": name} if draw(st.booleans()) else {}
    if kind == "slot":
        value = draw(SLOT_VALUES)
        name = draw(SLOTS)
        if name == "requested_slot" and isinstance(value, list):
            value = None  # Rasa's requested_slot holds a slot name
        return kind, None, {"name": name, "value": value}
    if kind == "bot":
        response = draw(st.sampled_from(["utter_offer_booking", "utter_greet", None]))
        return kind, None, {"text": "hi", "metadata": {"utter_action": response}}
    return kind, None, {"name": draw(st.sampled_from([None, "", "triage_form"]))}


def as_stream(drawn: list[tuple]) -> list[Event]:
    return [
        Event.from_row((n + 1, "v", kind, 1000.0 + (n * 7919) % 13, None, action, json.dumps(d)))
        for n, (kind, action, d) in enumerate(drawn)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(an_event(), max_size=40), st.lists(st.integers(0, 40), max_size=6))
def test_generated_conversations_fold_the_same_in_increments(drawn, cuts):
    events = as_stream(drawn)
    if not events:
        assert fold_onto(None, events, THRESHOLD) is None
        return
    assert fold_in_steps(events, cuts) == full(events)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="abcdefghij_,", max_size=60), max_size=8), max_size=8))
def test_many_red_flags_keep_a_bounded_state_and_the_same_row(values):
    drawn = [("slot", None, {"name": "red_flags", "value": v}) for v in values]
    events = as_stream(drawn)
    if events:
        assert fold_in_steps(events, range(len(events))) == full(events)
        state = fold_onto(None, events, THRESHOLD).state
        assert len(",".join(state.flags[:-1])) < 255


def random_conversation(rng: random.Random, length: int) -> list[Event]:
    """A conversation of plausible events: forms asking slots, fallbacks, flags, loops."""
    drawn = []
    for _ in range(length):
        kinds = ["user", "user", "action", "action", "slot", "slot", "bot", "active_loop"]
        kind = rng.choice(kinds)
        if kind == "user":
            text = rng.choice(["my back", "/inform", "", None, "ΣΑΣ hurts", "x" * 600])
            intent = rng.choice(["inform", "nlu_fallback", "red_flag", "affirm"])
            entities = rng.choice([[], [{"entity": "red_flag"}], [{"entity": "duration"}]])
            data = {
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": rng.choice([0.9, 0.3, None])},
                    "entities": entities,
                },
                "input_channel": rng.choice([None, "rest", "socketio"]),
            }
            drawn.append((kind, None, data))
        elif kind == "action":
            name = rng.choice(["action_session_start", "action_listen", "action_handle_fallback",
                               "action_two_stage_fallback", "action_assess_triage"])  # fmt: skip
            drawn.append((kind, name, {"name": name}))
        elif kind == "slot":
            name = rng.choice(["requested_slot", "requested_slot", "triage_result", "red_flags",
                               "needs_staff_review", "callback_name", "callback_contact",
                               "callback_requested", "triage_urgency"])  # fmt: skip
            value = rng.choice(["callback_name", "pain_location", "duration", None, True,
                                "emergency", ["saddle_numbness", "fever"], "x"])  # fmt: skip
            if name == "requested_slot" and not isinstance(value, (str, type(None))):
                value = None
            drawn.append((kind, None, {"name": name, "value": value}))
        elif kind == "bot":
            response = rng.choice(["utter_offer_booking", "utter_greet"])
            drawn.append((kind, None, {"text": "hi", "metadata": {"utter_action": response}}))
        else:
            drawn.append((kind, None, {"name": rng.choice([None, "triage_form"])}))
    return as_stream(drawn)


def test_random_conversations_fold_the_same_in_increments():
    rng = random.Random(17)
    for _ in range(1500):
        events = random_conversation(rng, rng.randint(1, 60))
        cuts = [rng.randint(0, len(events)) for _ in range(rng.randint(0, 8))]
        assert fold_in_steps(events, cuts) == full(events)
