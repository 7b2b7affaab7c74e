"""Property tests over every Facts field (hypothesis)."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.triage import RED_FLAGS, Facts, Thresholds, assess, summarise_facts
from bot.triage.facts import FACT_NAMES
from bot.triage.thresholds import classify_duration
from bot.triage.vocab import (
    AGGRAVATORS,
    CATEGORIES,
    DURATION_CLASSES,
    LOCATIONS,
    PATTERNS,
    RADIATIONS,
    SIDES,
)

DURATION_ORDER = {name: rank for rank, name in enumerate(DURATION_CLASSES)}


def optional(values):
    return st.none() | st.sampled_from(values)


def subsets(values):
    return st.frozensets(st.sampled_from(tuple(values)))


days = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
yes_no = st.none() | st.booleans()
thresholds = st.integers(min_value=1, max_value=400).flatmap(
    lambda chronic: st.builds(
        Thresholds,
        acute_below_days=st.integers(min_value=1, max_value=chronic + 1),
        chronic_above_days=st.just(chronic),
    )
)


def facts_strategy(red_flags=None):
    return st.builds(
        Facts,
        location=optional(LOCATIONS),
        side=optional(SIDES),
        duration_days=st.none() | days,
        pattern=optional(PATTERNS),
        radiation=optional(RADIATIONS),
        leg_numbness=yes_no,
        leg_weakness=yes_no,
        worse_sitting=yes_no,
        aggravators=subsets(AGGRAVATORS),
        red_flags=red_flags if red_flags is not None else subsets(RED_FLAGS),
        is_child=yes_no,
        unknown=subsets(FACT_NAMES),
    )


any_facts = facts_strategy()
no_reported_flags = facts_strategy(red_flags=st.just(frozenset()))


@given(any_facts, thresholds)
def test_assess_never_raises_and_stays_in_its_vocabulary(facts, limits):
    assessment = assess(facts, limits)
    assert assessment.category in CATEGORIES
    assert assessment.urgency in ("emergency", "urgent", "routine")
    assert assessment.duration_class in (None, *DURATION_CLASSES)
    assert assessment.reasons
    assert set(assessment.missing) <= set(FACT_NAMES)
    assert list(assessment.red_flags) == sorted(assessment.red_flags)


@given(any_facts, st.sampled_from(sorted(RED_FLAGS)))
def test_any_red_flag_is_an_emergency_whatever_else_is_true(facts, flag):
    flagged = replace(facts, red_flags=facts.red_flags | {flag})
    assessment = assess(flagged)
    assert assessment.category == "emergency"
    assert not assessment.bookable
    assert flag in assessment.red_flags
    assert assessment.missing == ()
    assert assessment.urgency == (
        "emergency"
        if any(RED_FLAGS[f].level == "emergency" for f in assessment.red_flags)
        else "urgent"
    )


@given(any_facts)
def test_red_flags_and_emergency_go_together(facts):
    assessment = assess(facts)
    assert (assessment.category == "emergency") == bool(assessment.red_flags)
    assert (assessment.urgency == "routine") == (assessment.category != "emergency")
    assert set(facts.red_flags) <= set(assessment.red_flags)


@given(any_facts)
def test_bookable_exactly_for_the_five_triage_categories_once_screened(facts):
    assessment = assess(facts)
    screened = "red_flags" not in facts.unknown
    triage = assessment.category not in ("emergency", "out_of_scope")
    assert assessment.bookable == (triage and screened)


@given(any_facts)
def test_reasons_never_diagnose(facts):
    for reason in assess(facts).reasons:
        assert "you have" not in reason.lower()
        assert "diagnos" not in reason.lower()


@given(no_reported_flags)
def test_sciatica_and_piriformis_never_with_both_sides(facts):
    if facts.side == "both":
        assert assess(facts).category not in ("sciatica", "piriformis")


@given(thresholds, days, days)
def test_duration_classification_is_monotonic(limits, first, second):
    shorter, longer = sorted((first, second))
    rank_short = DURATION_ORDER[classify_duration(shorter, limits)]
    rank_long = DURATION_ORDER[classify_duration(longer, limits)]
    assert rank_short <= rank_long


@given(no_reported_flags, thresholds, days, days)
def test_assessed_duration_class_is_monotonic(facts, limits, first, second):
    shorter, longer = sorted((first, second))
    short = assess(replace(facts, duration_days=shorter), limits)
    long = assess(replace(facts, duration_days=longer), limits)
    assert DURATION_ORDER[short.duration_class] <= DURATION_ORDER[long.duration_class]
    if short.category in DURATION_CLASSES and long.category in DURATION_CLASSES:
        assert DURATION_ORDER[short.category] <= DURATION_ORDER[long.category]


@given(no_reported_flags, days)
def test_duration_only_moves_between_duration_categories(facts, duration):
    """Changing the duration never turns one kind of result into another."""
    before = assess(replace(facts, duration_days=1.0))
    after = assess(replace(facts, duration_days=duration))
    if before.category in DURATION_CLASSES:
        assert after.category in DURATION_CLASSES
    else:
        assert after.category == before.category


@given(any_facts)
def test_summary_is_one_plain_sentence(facts):
    text = summarise_facts(facts)
    assert text.endswith(".")
    assert "_" not in text
    assert "None" not in text


SLOT_TEXT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz_ '-0123456789.", max_size=12
) | st.sampled_from(
    ["low_back", "both", "foot", "recurrent", "unknown", "yes", "fever", "pain_side", "nan"]
)


# too_slow: the first run in a fresh environment builds hypothesis' text tables.
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "pain_location",
                "pain_side",
                "pain_duration_days",
                "pain_pattern",
                "radiation",
                "leg_numbness",
                "leg_weakness",
                "worse_sitting",
                "aggravators",
                "red_flags",
                "visitor_is_child",
                "unknown_facts",
                "requested_slot",
            ]
        ),
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | SLOT_TEXT
        | st.text(max_size=12)
        | st.lists(SLOT_TEXT | st.integers(), max_size=4),
    )
)
def test_from_slots_never_raises(slots):
    facts = Facts.from_slots(slots)
    assert assess(facts).category in CATEGORIES
