"""tests/eval/visitors.yml: schema, coverage of clinical.md, and the validator itself."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.evaluation.visitors import (
    ASKED_SLOTS,
    CATEGORIES,
    DEFAULT_PATH,
    RED_FLAG_IDS,
    VisitorFileError,
    load_visitors,
    parse_visitors,
)

ROOT = Path(__file__).resolve().parents[3]
VISITORS = load_visitors(DEFAULT_PATH)
RAW = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["visitors"]

# clinical.md section 2, one group per red flag a visitor can report.
RED_FLAG_GROUPS = {
    "bladder": {"bladder_dysfunction"},
    "bowel": {"bowel_dysfunction"},
    "saddle numbness": {"saddle_numbness"},
    "both legs": {"bilateral_leg_symptoms"},
    "worsening weakness / foot drop": {"leg_weakness"},
    "sexual dysfunction": {"sexual_dysfunction"},
    "major trauma": {"major_trauma"},
    "chest pain": {"chest_pain"},
    "fainting": {"fainting"},
    "fever / very unwell / infection": {"fever", "feeling_unwell", "recent_infection"},
    "cancer history": {"cancer_history"},
    "weight loss": {"weight_loss"},
    "night pain": {"night_pain"},
    "osteoporosis and a fall": {"osteoporosis_fall"},
    "steroids": {"steroid_use"},
    "weakened immune system": {"immunosuppression"},
    "IV drug use": {"iv_drug_use"},
}
MINIMUM = {
    "acute": 10,
    "subacute": 10,
    "chronic": 10,
    "sciatica": 10,
    "piriformis": 8,
    "emergency": 20,
    "out_of_scope": 3,
}


def by_category():
    return Counter(v.expected for v in VISITORS)


def test_file_is_valid_with_unique_ids():
    assert len(VISITORS) >= 80
    assert len({v.id for v in VISITORS}) == len(VISITORS)
    assert all(v.expected in CATEGORIES for v in VISITORS)
    assert all(set(v.answers) <= set(ASKED_SLOTS) for v in VISITORS)


def test_raw_answers_are_quoted_text_not_yaml_booleans():
    for raw in RAW:
        for slot, reply in raw.get("answers", {}).items():
            assert isinstance(reply, str), f"{raw['id']}: answers.{slot} is {reply!r}"


@pytest.mark.parametrize("category, minimum", sorted(MINIMUM.items()))
def test_every_category_is_covered(category, minimum):
    assert by_category()[category] >= minimum


def test_every_red_flag_group_is_covered():
    reported = {v.red_flag.id for v in VISITORS if v.red_flag}
    missing = [group for group, ids in RED_FLAG_GROUPS.items() if not ids & reported]
    assert missing == []
    assert set().union(*RED_FLAG_GROUPS.values()) == set(RED_FLAG_IDS)


def test_red_flag_ids_are_those_of_the_triage_package():
    from bot.triage import RED_FLAGS

    assert set(RED_FLAG_IDS) <= set(RED_FLAGS)


def test_emergencies_are_said_in_every_kind_of_place():
    where = Counter(v.red_flag.where for v in VISITORS if v.red_flag)
    assert set(where) == {"opener", "answer", "screen", "extra"}
    assert all(v.red_flag for v in VISITORS if v.expected == "emergency")


def test_stated_durations_agree_with_the_expected_duration_class():
    triage = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))["triage"]
    acute_below = triage["acute_below_weeks"] * 7
    chronic_above = triage["chronic_above_weeks"] * 7
    assert (acute_below, chronic_above) == (42, 84), "visitors.yml assumes 6 and 12 weeks"
    for v in VISITORS:
        if v.expected_days is None or v.expected not in ("acute", "subacute", "chronic"):
            continue
        days = v.expected_days
        category = (
            "acute" if days < acute_below else "chronic" if days > chronic_above else "subacute"
        )
        if "recurrent" not in v.tags:
            assert category == v.expected, v.id


def test_boundaries_vague_durations_negations_and_confounds_are_present():
    days = {(v.expected_days, v.expected) for v in VISITORS}
    assert {(42, "subacute"), (84, "subacute"), (35, "acute"), (90, "chronic")} <= days
    tags = Counter(tag for v in VISITORS for tag in v.tags)
    for tag in ("boundary", "negation", "vague_duration", "correction", "faq", "recurrent"):
        assert tags[tag] >= 2, tag
    texts = " ".join(
        " ".join([v.opener, *v.answers.values()]) for v in VISITORS if v.expected != "emergency"
    )
    for negation in ("no numbness", "never had cancer", "no problems peeing", "not both legs"):
        assert negation in texts
    assert sum(v.opener.strip().lower() in ("hi", "hi there") for v in VISITORS) >= 3


def good(**overrides):
    visitor = {
        "id": "x-1",
        "opener": "my back hurts",
        "answers": {"pain_location": "lower back"},
        "expected": "acute",
    }
    visitor.update(overrides)
    return visitor


@pytest.mark.parametrize(
    "visitor, message",
    [
        (good(expected="acutee"), "expected: 'acutee' is not one of"),
        (good(answers={"pain_colour": "red"}), "answers.pain_colour: not a slot"),
        (good(answers={"leg_numbness": False}), "answers.leg_numbness: expected non-empty text"),
        (good(id="Bad Id"), "id: expected lowercase"),
        (good(opener=""), "opener: expected non-empty text"),
        (good(colour="red"), "colour: unknown key"),
        (good(expected_days="3 weeks"), "expected_days: expected a number"),
        (good(expected="emergency"), "red_flag: required when expected is emergency"),
        (
            good(red_flag={"id": "fever", "said_in": "opener"}),
            "red_flag: only for visitors expected to be an emergency",
        ),
        (
            good(expected="emergency", red_flag={"id": "headache", "said_in": "opener"}),
            "red_flag.id: 'headache' is not one of",
        ),
        (
            good(expected="emergency", red_flag={"id": "fever", "said_in": "screen_serious"}),
            "red_flag.said_in: the visitor has no answer for screen_serious",
        ),
        (
            good(extra=[{"text": "hm?", "after_turn": 2, "after_answer": "radiation"}]),
            "give exactly one of after_turn and after_answer",
        ),
        (good(extra=[{"text": "hm?", "after_turn": 0}]), "after_turn: expected a whole number"),
        (
            good(extra=[{"text": "hm?", "after_answer": "mood"}]),
            "after_answer: 'mood' is not a slot",
        ),
    ],
)
def test_validator_names_the_visitor_and_the_key(visitor, message):
    with pytest.raises(VisitorFileError) as error:
        parse_visitors({"visitors": [visitor]})
    assert message in str(error.value)
    assert "visitor " in str(error.value)


def test_validator_rejects_duplicates_and_a_bad_top_level(tmp_path):
    with pytest.raises(VisitorFileError, match="duplicate id"):
        parse_visitors({"visitors": [good(), good()]})
    with pytest.raises(VisitorFileError, match="top-level 'visitors:' list"):
        parse_visitors([good()])
    path = tmp_path / "v.yml"
    path.write_text("visitors: [", encoding="utf-8")
    with pytest.raises(VisitorFileError, match="not valid YAML"):
        load_visitors(path)
    with pytest.raises(VisitorFileError, match="cannot read"):
        load_visitors(tmp_path / "missing.yml")


def test_validator_accepts_a_complete_visitor():
    (visitor,) = parse_visitors(
        {
            "visitors": [
                good(
                    expected="emergency",
                    answers={"screen_serious": "i had cancer"},
                    followups=["hello?"],
                    extra=[{"text": "does it hurt?", "after_answer": "pain_location"}],
                    expected_days=3,
                    red_flag={"id": "cancer_history", "said_in": "screen_serious"},
                    tags=["faq"],
                    note="n",
                )
            ]
        }
    )
    assert visitor.red_flag.where == "screen"
    assert visitor.expected_days == 3.0
    assert visitor.extra[0].after_answer == "pain_location"
