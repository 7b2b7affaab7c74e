"""Which triage question comes next."""

import pytest

from bot.dialogue.questions import questions_to_ask

SCREEN = ["screen_cauda", "screen_serious", "screen_injury_night"]


@pytest.mark.parametrize(
    "slots, expected",
    [
        pytest.param(
            {},
            [
                "pain_location",
                "pain_duration_days",
                "radiation",
                "leg_numbness",
                "worse_sitting",
                *SCREEN,
            ],
            id="nothing-known",
        ),
        pytest.param(
            {"pain_location": "buttock"},
            [
                "pain_location",
                "pain_duration_days",
                "radiation",
                "pain_side",
                "leg_numbness",
                "worse_sitting",
                *SCREEN,
            ],
            id="buttock-asks-side",
        ),
        pytest.param(
            {"pain_location": "low_back", "radiation": "foot"},
            [
                "pain_location",
                "pain_duration_days",
                "radiation",
                "pain_side",
                "leg_numbness",
                "leg_weakness",
                "worse_sitting",
                *SCREEN,
            ],
            id="leg-involved-asks-side-and-weakness",
        ),
        pytest.param(
            {"unknown_facts": ["pain_duration_days"]},
            ["pain_location", "radiation", "leg_numbness", "worse_sitting", *SCREEN],
            id="unknown-not-asked-again",
        ),
        pytest.param({"red_flags": ["fever"]}, [], id="red-flag-stops"),
        pytest.param({"visitor_is_child": True}, [], id="child-stops"),
        pytest.param(
            {"kidney_stone_pattern": True}, ["screen_serious"], id="kidney-stone-asks-fever"
        ),
        pytest.param(
            {"kidney_stone_pattern": True, "screen_serious": False}, [], id="kidney-stone-stops"
        ),
        pytest.param({"pain_location": "neck"}, [], id="neck-stops"),
        pytest.param({"pain_location": "chest"}, [], id="chest-stops"),
        pytest.param(
            {"pain_location": "low_back", "radiation": "foot", "pain_side": "both"},
            [],
            id="both-legs-stops",
        ),
    ],
)
def test_questions_to_ask(slots, expected):
    assert questions_to_ask(slots) == expected


def test_pain_down_the_leg_of_unknown_extent_still_asks_side_and_weakness():
    slots = {"pain_location": "low_back", "unknown_facts": ["radiation"]}
    asked = questions_to_ask(slots)
    assert "pain_side" in asked and "leg_weakness" in asked and "radiation" not in asked
