"""Red flags: the table itself, each flag alone, derived flags, and their precedence."""

import pytest

from bot.triage import RED_FLAGS, Facts, RedFlag, assess

EMERGENCY_IDS = {
    "bladder_dysfunction",
    "bowel_dysfunction",
    "saddle_numbness",
    "bilateral_leg_symptoms",
    "leg_weakness",
    "sexual_dysfunction",
    "major_trauma",
    "chest_pain",
    "fainting",
    "cauda_equina_screen_positive",
}
URGENT_IDS = {
    "fever",
    "feeling_unwell",
    "recent_infection",
    "iv_drug_use",
    "immunosuppression",
    "cancer_history",
    "weight_loss",
    "night_pain",
    "osteoporosis_fall",
    "steroid_use",
    "serious_illness_screen_positive",
    "injury_or_night_pain_screen_positive",
}
EXPECTED_LEVEL = {
    **{flag: "emergency" for flag in EMERGENCY_IDS},
    **{flag: "urgent" for flag in URGENT_IDS},
}

# A case that would otherwise be plain acute low back pain, bookable.
PLAIN = {"location": "low_back", "side": "left", "duration_days": 10, "radiation": "none"}


def test_red_flag_ids_are_exactly_the_agreed_ones():
    assert set(RED_FLAGS) == set(EXPECTED_LEVEL)


@pytest.mark.parametrize("flag_id", sorted(EXPECTED_LEVEL))
def test_red_flag_entry(flag_id):
    flag = RED_FLAGS[flag_id]
    assert isinstance(flag, RedFlag)
    assert flag.id == flag_id
    assert flag.level == EXPECTED_LEVEL[flag_id]
    assert flag.label and flag.label == flag.label.strip()
    assert "_" not in flag.label


@pytest.mark.parametrize("flag_id", sorted(EXPECTED_LEVEL))
def test_each_flag_alone_is_an_emergency_with_its_urgency(flag_id):
    assessment = assess(Facts(red_flags=frozenset({flag_id})))
    assert assessment.category == "emergency"
    assert assessment.urgency == EXPECTED_LEVEL[flag_id]
    assert assessment.red_flags == (flag_id,)
    assert assessment.missing == ()
    assert not assessment.bookable
    assert RED_FLAGS[flag_id].label in assessment.reasons[0]


@pytest.mark.parametrize("flag_id", sorted(EXPECTED_LEVEL))
def test_each_flag_overrides_a_bookable_case(flag_id):
    assessment = assess(Facts(**PLAIN, red_flags=frozenset({flag_id})))
    assert assessment.category == "emergency"
    assert assessment.urgency == EXPECTED_LEVEL[flag_id]


@pytest.mark.parametrize(
    ("facts", "expected_flags"),
    [
        pytest.param(Facts(location="chest"), ("chest_pain",), id="chest-pain"),
        pytest.param(Facts(leg_weakness=True), ("leg_weakness",), id="leg-weakness-answer"),
        pytest.param(
            Facts(side="both", leg_numbness=True),
            ("bilateral_leg_symptoms",),
            id="both-sides-numbness",
        ),
        pytest.param(
            Facts(side="both", leg_weakness=True),
            ("bilateral_leg_symptoms", "leg_weakness"),
            id="both-sides-weakness",
        ),
        pytest.param(
            Facts(location="low_back", side="both", radiation="thigh"),
            ("bilateral_leg_symptoms",),
            id="both-sides-to-thigh",
        ),
        pytest.param(
            Facts(location="low_back", side="both", radiation="below_knee"),
            ("bilateral_leg_symptoms",),
            id="both-sides-below-knee",
        ),
        pytest.param(
            Facts(location="buttock", side="both", radiation="foot"),
            ("bilateral_leg_symptoms",),
            id="both-buttocks-to-foot",
        ),
        pytest.param(
            Facts(location="leg", side="both"),
            ("bilateral_leg_symptoms",),
            id="pain-in-both-legs",
        ),
        pytest.param(
            Facts(location="chest", red_flags=frozenset({"fever"})),
            ("chest_pain", "fever"),
            id="reported-and-derived-sorted",
        ),
    ],
)
def test_derived_red_flags(facts, expected_flags):
    assessment = assess(facts)
    assert assessment.category == "emergency"
    assert assessment.urgency == "emergency"
    assert assessment.red_flags == expected_flags


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(Facts(location="low_back", side="both"), id="central-band-both-sides"),
        pytest.param(
            Facts(location="low_back", side="both", radiation="buttock"),
            id="both-sides-only-to-buttocks",
        ),
        pytest.param(
            Facts(location="low_back", side="both", radiation="none", leg_numbness=False),
            id="both-sides-no-leg-symptoms",
        ),
        pytest.param(Facts(location="low_back", leg_weakness=False), id="weakness-denied"),
        pytest.param(Facts(location="leg", side="left"), id="one-leg"),
    ],
)
def test_not_red_flags(facts):
    assessment = assess(facts)
    assert assessment.category != "emergency"
    assert assessment.red_flags == ()


def test_emergency_level_wins_over_urgent():
    assessment = assess(Facts(red_flags=frozenset({"fever", "saddle_numbness"})))
    assert assessment.urgency == "emergency"
    assert assessment.red_flags == ("fever", "saddle_numbness")
    assert RED_FLAGS["saddle_numbness"].label in assessment.reasons[0]
    assert "emergency care now" in assessment.reasons[0]
    assert "doctor should check today" in assessment.reasons[1]


def test_urgent_only_stays_urgent():
    assessment = assess(Facts(red_flags=frozenset({"fever", "cancer_history", "night_pain"})))
    assert assessment.category == "emergency"
    assert assessment.urgency == "urgent"
    assert len(assessment.reasons) == 3


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"is_child": True}, id="child"),
        pytest.param({"location": "neck"}, id="neck"),
        pytest.param({"location": "buttock", "worse_sitting": True}, id="piriformis-like"),
        pytest.param({"radiation": "foot", "leg_numbness": True}, id="sciatica-like"),
        pytest.param({"duration_days": 400.0, "pattern": "recurrent"}, id="chronic"),
    ],
)
def test_red_flags_come_before_every_other_rule(other):
    assessment = assess(Facts(**other, red_flags=frozenset({"bowel_dysfunction"})))
    assert assessment.category == "emergency"
    assert not assessment.bookable


@pytest.mark.parametrize("screen", ["screen_cauda", "screen_serious", "screen_injury_night"])
def test_a_safety_question_left_unanswered_blocks_booking(screen):
    """clinical.md section 2: screen before anything is booked; an unclear answer to a
    safety question is not a no."""
    unanswered = Facts.from_slots(
        {"pain_location": "low_back", "pain_duration_days": 10, "radiation": "none",
         "pain_side": "left", "skipped_facts": [screen]}
    )  # fmt: skip
    assessment = assess(unanswered)
    assert assessment.category == "acute"
    assert assessment.unscreened and not assessment.bookable
    answered = assess(Facts(**PLAIN))
    assert not answered.unscreened and answered.bookable
