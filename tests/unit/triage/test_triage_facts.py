"""Facts validation and the lenient Facts.from_slots."""

import logging

import pytest

from bot.triage import Facts

# --- direct construction is strict ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"location": "lower back"}, "location", id="location-not-canonical"),
        pytest.param({"side": "up"}, "side", id="side"),
        pytest.param({"pattern": "sometimes"}, "pattern", id="pattern"),
        pytest.param({"radiation": "knee"}, "radiation", id="radiation"),
        pytest.param({"leg_numbness": "yes"}, "leg_numbness", id="numbness-string"),
        pytest.param({"leg_weakness": 1}, "leg_weakness", id="weakness-int"),
        pytest.param({"worse_sitting": "no"}, "worse_sitting", id="sitting-string"),
        pytest.param({"is_child": 0}, "is_child", id="child-int"),
        pytest.param({"duration_days": -1}, "duration_days", id="negative-days"),
        pytest.param({"duration_days": float("nan")}, "duration_days", id="nan-days"),
        pytest.param({"duration_days": float("inf")}, "duration_days", id="infinite-days"),
        pytest.param({"duration_days": "3"}, "duration_days", id="string-days"),
        pytest.param({"duration_days": True}, "duration_days", id="bool-days"),
        pytest.param({"aggravators": {"jumping"}}, "aggravators", id="aggravator"),
        pytest.param({"aggravators": "sitting"}, "aggravators", id="aggravators-string"),
        pytest.param({"red_flags": {"bladder"}}, "red_flags", id="red-flag-id"),
        pytest.param({"unknown": {"pain_side"}}, "unknown", id="unknown-slot-name"),
        pytest.param({"unknown": {"unknown"}}, "unknown", id="unknown-itself"),
    ],
)
def test_invalid_facts_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Facts(**kwargs)


def test_sets_are_coerced_to_frozensets():
    facts = Facts(aggravators=["sitting", "sitting"], red_flags=("fever",), unknown={"side"})
    assert facts.aggravators == frozenset({"sitting"})
    assert facts.red_flags == frozenset({"fever"})
    assert facts.unknown == frozenset({"side"})
    assert all(isinstance(s, frozenset) for s in (facts.aggravators, facts.unknown))


def test_whole_days_become_float():
    facts = Facts(duration_days=21)
    assert facts.duration_days == 21.0
    assert isinstance(facts.duration_days, float)


def test_facts_are_frozen_and_hashable():
    facts = Facts(location="low_back")
    with pytest.raises(AttributeError):
        facts.location = "leg"  # type: ignore[misc]
    assert hash(facts) == hash(Facts(location="low_back"))


def test_defaults_are_all_unknown():
    facts = Facts()
    assert facts.location is None and facts.duration_days is None
    assert facts.aggravators == facts.red_flags == facts.unknown == frozenset()


# --- from_slots -----------------------------------------------------------------------------

FULL_SLOTS = {
    "pain_location": "low_back",
    "pain_side": "left",
    "pain_duration_days": 21,
    "pain_pattern": "constant",
    "radiation": "foot",
    "leg_numbness": True,
    "leg_weakness": False,
    "worse_sitting": True,
    "aggravators": ["sitting", "coughing"],
    "red_flags": ["fever"],
    "visitor_is_child": False,
    "unknown_facts": [],
}


def test_from_slots_maps_every_slot():
    assert Facts.from_slots(FULL_SLOTS) == Facts(
        location="low_back",
        side="left",
        duration_days=21.0,
        pattern="constant",
        radiation="foot",
        leg_numbness=True,
        leg_weakness=False,
        worse_sitting=True,
        aggravators=frozenset({"sitting", "coughing"}),
        red_flags=frozenset({"fever"}),
        is_child=False,
    )


def test_from_slots_empty_and_all_none():
    assert Facts.from_slots({}) == Facts()
    assert Facts.from_slots(dict.fromkeys(FULL_SLOTS)) == Facts()


def test_from_slots_ignores_unknown_keys():
    slots = {"pain_location": "buttock", "requested_slot": "pain_side", "session_started": 1}
    assert Facts.from_slots(slots) == Facts(location="buttock")


@pytest.mark.parametrize(
    ("slot", "raw", "field", "expected"),
    [
        # location
        pytest.param("pain_location", "Low Back", "location", "low_back", id="location-case"),
        pytest.param("pain_location", "lower-back", "location", "low_back", id="location-alias"),
        pytest.param("pain_location", "  buttock ", "location", "buttock", id="location-spaces"),
        pytest.param("pain_location", "elbow", "location", "other", id="location-unlisted"),
        pytest.param("pain_location", "", "location", None, id="location-empty"),
        pytest.param("pain_location", 5, "location", None, id="location-number"),
        pytest.param("pain_location", ["leg"], "location", None, id="location-list"),
        # side
        pytest.param("pain_side", "RIGHT", "side", "right", id="side-case"),
        pytest.param("pain_side", "bilateral", "side", "both", id="side-bilateral"),
        pytest.param("pain_side", "middle", "side", "central", id="side-middle"),
        pytest.param("pain_side", "upwards", "side", None, id="side-unlisted"),
        # duration
        pytest.param("pain_duration_days", "21", "duration_days", 21.0, id="days-string"),
        pytest.param("pain_duration_days", " 3.5 ", "duration_days", 3.5, id="days-decimal"),
        pytest.param("pain_duration_days", 10, "duration_days", 10.0, id="days-int"),
        pytest.param("pain_duration_days", "three weeks", "duration_days", None, id="days-words"),
        pytest.param("pain_duration_days", -3, "duration_days", None, id="days-negative"),
        pytest.param("pain_duration_days", "nan", "duration_days", None, id="days-nan"),
        pytest.param("pain_duration_days", "inf", "duration_days", None, id="days-inf"),
        pytest.param("pain_duration_days", True, "duration_days", None, id="days-bool"),
        pytest.param("pain_duration_days", [3], "duration_days", None, id="days-list"),
        # pattern and radiation
        pytest.param("pain_pattern", "on and off", "pattern", "recurrent", id="pattern-alias"),
        pytest.param("pain_pattern", "weird", "pattern", None, id="pattern-unlisted"),
        pytest.param("radiation", "below knee", "radiation", "below_knee", id="radiation-space"),
        pytest.param("radiation", "knee", "radiation", "thigh", id="radiation-to-knee"),
        pytest.param("radiation", "toes", "radiation", None, id="radiation-unlisted"),
        # yes / no
        pytest.param("leg_numbness", "true", "leg_numbness", True, id="bool-string-true"),
        pytest.param("leg_weakness", "No", "leg_weakness", False, id="bool-string-no"),
        pytest.param("worse_sitting", "maybe", "worse_sitting", None, id="bool-unlisted"),
        pytest.param("worse_sitting", 1, "worse_sitting", None, id="bool-int"),
        pytest.param("visitor_is_child", True, "is_child", True, id="child"),
        # sets
        pytest.param(
            "aggravators",
            ["Sitting", "jumping", 3],
            "aggravators",
            frozenset({"sitting"}),
            id="aggravators-filtered",
        ),
        pytest.param(
            "aggravators", "bending", "aggravators", frozenset({"bending"}), id="aggravator-string"
        ),
        pytest.param(
            "aggravators", {"lifting"}, "aggravators", frozenset({"lifting"}), id="aggravator-set"
        ),
        pytest.param("aggravators", 7, "aggravators", frozenset(), id="aggravators-number"),
        pytest.param(
            "red_flags",
            ("fever", "not_a_flag"),
            "red_flags",
            frozenset({"fever"}),
            id="red-flags-filtered",
        ),
    ],
)
def test_from_slots_coercion(slot, raw, field, expected):
    assert getattr(Facts.from_slots({slot: raw}), field) == expected


@pytest.mark.parametrize(
    ("unknown_facts", "expected"),
    [
        pytest.param(["pain_duration_days"], {"duration_days"}, id="slot-name"),
        pytest.param(["duration_days"], {"duration_days"}, id="field-name"),
        pytest.param("pain_side", {"side"}, id="single-string"),
        pytest.param(
            ["visitor_is_child", "red_flags", "bogus"], {"is_child", "red_flags"}, id="filtered"
        ),
        pytest.param(None, set(), id="none"),
        pytest.param(42, set(), id="number"),
    ],
)
def test_from_slots_unknown_facts(unknown_facts, expected):
    assert Facts.from_slots({"unknown_facts": unknown_facts}).unknown == expected


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        pytest.param("pain_location", "location", id="location-not-other"),
        pytest.param("pain_duration_days", "duration_days", id="duration"),
        pytest.param("leg_numbness", "leg_numbness", id="numbness"),
    ],
)
@pytest.mark.parametrize("answer", ["unknown", "not sure", "Don't know", "unsure"])
def test_dont_know_slot_values_become_unknown(slot, field, answer):
    facts = Facts.from_slots({slot: answer})
    assert getattr(facts, field) is None
    assert facts.unknown == {field}


def test_unknown_location_answer_is_not_out_of_scope():
    assert Facts.from_slots({"pain_location": "unknown"}).location is None


def test_dropped_red_flag_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.triage.slots"):
        Facts.from_slots({"red_flags": ["fever", "bladdr"]})
    assert "bladdr" in caplog.text


def test_from_slots_accepts_any_mapping():
    class Slots(dict):
        pass

    assert Facts.from_slots(Slots(pain_location="hip")).location == "hip"
