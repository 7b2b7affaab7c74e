"""The ordered rules of clinical.md section 1, one table row per case."""

import pytest

from bot.triage import Assessment, Facts, Thresholds, assess

WEEK = 7.0


@pytest.mark.parametrize(
    ("facts", "category", "duration_class"),
    [
        # out of scope
        pytest.param(
            Facts(location="low_back", is_child=True, duration_days=5),
            "out_of_scope",
            "acute",
            id="child-with-back-pain",
        ),
        pytest.param(Facts(location="neck"), "out_of_scope", None, id="neck"),
        pytest.param(Facts(location="upper_back"), "out_of_scope", None, id="upper-back"),
        pytest.param(Facts(location="abdomen"), "out_of_scope", None, id="abdomen"),
        pytest.param(Facts(location="head"), "out_of_scope", None, id="headache"),
        pytest.param(Facts(location="other"), "out_of_scope", None, id="somewhere-else"),
        pytest.param(
            Facts(location="neck", radiation="foot", leg_numbness=True),
            "out_of_scope",
            None,
            id="neck-before-sciatica",
        ),
        pytest.param(
            Facts(location="buttock", worse_sitting=True, is_child=True),
            "out_of_scope",
            None,
            id="child-before-piriformis",
        ),
        # sciatica
        pytest.param(
            Facts(location="low_back", side="left", radiation="below_knee"),
            "sciatica",
            None,
            id="below-knee-one-side",
        ),
        pytest.param(
            Facts(location="low_back", side="right", radiation="foot", duration_days=21),
            "sciatica",
            "acute",
            id="to-foot-acute",
        ),
        pytest.param(
            Facts(location="low_back", leg_numbness=True, radiation="none"),
            "sciatica",
            None,
            id="numbness-without-radiation",
        ),
        pytest.param(
            Facts(location="low_back", side="central", radiation="foot"),
            "sciatica",
            None,
            id="central-back-to-one-foot",
        ),
        pytest.param(
            Facts(location="leg", side="left", radiation="below_knee", duration_days=200),
            "sciatica",
            "chronic",
            id="chronic-sciatica-keeps-duration",
        ),
        pytest.param(
            Facts(location="hip", side="right", leg_numbness=True, duration_days=60),
            "sciatica",
            "subacute",
            id="hip-with-tingling",
        ),
        pytest.param(
            Facts(location="low_back", side="left", radiation="thigh", duration_days=10),
            "acute",
            "acute",
            id="thigh-only-is-not-sciatica",
        ),
        pytest.param(
            Facts(location="low_back", side="left", radiation="thigh", leg_numbness=False),
            "acute",
            None,
            id="thigh-no-numbness-not-sciatica",
        ),
        # piriformis
        pytest.param(
            Facts(location="buttock", side="right", worse_sitting=True),
            "piriformis",
            None,
            id="buttock-worse-sitting",
        ),
        pytest.param(
            Facts(
                location="buttock",
                side="left",
                worse_sitting=True,
                radiation="thigh",
                leg_numbness=False,
                duration_days=100,
            ),
            "piriformis",
            "chronic",
            id="buttock-sitting-into-thigh-chronic",
        ),
        pytest.param(
            Facts(location="buttock", side="left", aggravators=frozenset({"sitting"})),
            "piriformis",
            None,
            id="sitting-named-as-aggravator",
        ),
        pytest.param(
            Facts(location="buttock", worse_sitting=True, radiation="buttock"),
            "piriformis",
            None,
            id="side-unknown",
        ),
        pytest.param(
            Facts(location="buttock", side="left", worse_sitting=True, leg_numbness=True),
            "sciatica",
            None,
            id="buttock-sitting-numbness-is-sciatica",
        ),
        pytest.param(
            Facts(location="buttock", side="left", worse_sitting=True, radiation="below_knee"),
            "sciatica",
            None,
            id="buttock-sitting-below-knee-is-sciatica",
        ),
        pytest.param(
            Facts(location="buttock", side="left", worse_sitting=False, duration_days=3),
            "acute",
            "acute",
            id="buttock-not-worse-sitting",
        ),
        pytest.param(
            Facts(location="buttock", side="left", duration_days=3),
            "acute",
            "acute",
            id="buttock-sitting-unknown",
        ),
        pytest.param(
            Facts(location="buttock", side="both", worse_sitting=True, duration_days=3),
            "acute",
            "acute",
            id="both-buttocks-not-piriformis",
        ),
        pytest.param(
            Facts(location="low_back", worse_sitting=True, duration_days=3),
            "acute",
            "acute",
            id="low-back-worse-sitting-not-piriformis",
        ),
        # duration
        pytest.param(Facts(location="low_back", duration_days=3), "acute", "acute", id="3-days"),
        pytest.param(
            Facts(location="low_back", duration_days=8 * WEEK), "subacute", "subacute", id="8-weeks"
        ),
        pytest.param(
            Facts(location="low_back", duration_days=6 * 30.0), "chronic", "chronic", id="6-months"
        ),
        pytest.param(Facts(location="hip", duration_days=3), "acute", "acute", id="hip-in-scope"),
        pytest.param(
            Facts(location="leg", side="right", duration_days=3), "acute", "acute", id="one-leg"
        ),
        pytest.param(Facts(duration_days=3), "acute", "acute", id="location-unknown"),
        # recurrent
        pytest.param(
            Facts(location="low_back", pattern="recurrent"),
            "chronic",
            "chronic",
            id="recurrent-length-unknown",
        ),
        pytest.param(
            Facts(location="low_back", pattern="recurrent", duration_days=2 * 365.0),
            "chronic",
            "chronic",
            id="recurrent-for-years",
        ),
        pytest.param(
            Facts(location="low_back", pattern="recurrent", duration_days=10),
            "acute",
            "acute",
            id="recurrent-short-follows-duration",
        ),
        pytest.param(
            Facts(location="low_back", pattern="recurrent", duration_days=60),
            "subacute",
            "subacute",
            id="recurrent-8-weeks-follows-duration",
        ),
        pytest.param(
            Facts(location="low_back", pattern="constant"),
            "acute",
            None,
            id="constant-length-unknown",
        ),
        # unknown duration
        pytest.param(Facts(location="low_back"), "acute", None, id="length-unknown"),
        pytest.param(Facts(), "acute", None, id="nothing-known"),
    ],
)
def test_category(facts, category, duration_class):
    assessment = assess(facts)
    assert isinstance(assessment, Assessment)
    assert (assessment.category, assessment.duration_class) == (category, duration_class)
    assert assessment.red_flags == ()
    assert assessment.urgency == "routine"
    assert assessment.reasons


@pytest.mark.parametrize(
    ("category", "bookable"),
    [
        pytest.param("emergency", False, id="emergency"),
        pytest.param("out_of_scope", False, id="out-of-scope"),
        pytest.param("sciatica", True, id="sciatica"),
        pytest.param("piriformis", True, id="piriformis"),
        pytest.param("acute", True, id="acute"),
        pytest.param("subacute", True, id="subacute"),
        pytest.param("chronic", True, id="chronic"),
    ],
)
def test_bookable(category, bookable):
    urgency = "emergency" if category == "emergency" else "routine"
    assert Assessment(category, urgency, None, (), (), ()).bookable is bookable


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("category", "sciatic", id="category"),
        pytest.param("urgency", "soon", id="urgency"),
        pytest.param("duration_class", "long", id="duration-class"),
    ],
)
def test_assessment_rejects_unknown_values(field, value):
    values = {"category": "acute", "urgency": "routine", "duration_class": None}
    values[field] = value
    with pytest.raises(ValueError, match=field):
        Assessment(**values, red_flags=(), reasons=(), missing=())


def test_custom_thresholds_are_used():
    facts = Facts(location="low_back", duration_days=30)
    assert assess(facts).category == "acute"
    assert assess(facts, Thresholds(acute_below_days=28, chronic_above_days=84)).category == (
        "subacute"
    )


# --- missing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected_in", "expected_out"),
    [
        pytest.param(
            Facts(location="low_back", side="left", duration_days=10),
            {"radiation", "leg_numbness", "leg_weakness"},
            {"duration_days", "pattern", "worse_sitting", "side", "location"},
            id="acute-radiation-unknown",
        ),
        pytest.param(
            Facts(location="buttock", side="left", duration_days=10, radiation="none"),
            {"worse_sitting", "leg_numbness"},
            {"radiation", "duration_days"},
            id="buttock-sitting-unknown",
        ),
        pytest.param(
            Facts(location="low_back", side="left", radiation="none", leg_numbness=False),
            {"duration_days", "pattern"},
            {"radiation", "leg_numbness"},
            id="duration-unknown",
        ),
        pytest.param(
            Facts(location="low_back", side="left", radiation="foot"),
            {"duration_days", "pattern"},
            {"radiation", "leg_numbness", "worse_sitting"},
            id="sciatica-duration-unknown",
        ),
        pytest.param(
            Facts(radiation="none", duration_days=10, leg_numbness=False),
            {"location"},
            {"side"},
            id="location-unknown",
        ),
        pytest.param(
            Facts(location="low_back", duration_days=10),
            set(),
            {"aggravators", "red_flags"},
            id="sets-not-missing-unless-unsure",
        ),
        pytest.param(
            Facts(
                location="low_back",
                duration_days=10,
                unknown=frozenset({"red_flags", "aggravators"}),
            ),
            {"red_flags"},
            {"aggravators"},
            id="unsure-about-warning-signs",
        ),
        pytest.param(
            Facts(location="buttock", side="left", duration_days=10, unknown={"aggravators"}),
            {"aggravators", "worse_sitting"},
            set(),
            id="buttock-unsure-what-makes-it-worse",
        ),
    ],
)
def test_missing(facts, expected_in, expected_out):
    missing = set(assess(facts).missing)
    assert expected_in <= missing
    assert not expected_out & missing


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(Facts(red_flags=frozenset({"fever"})), id="red-flag"),
        pytest.param(Facts(location="chest"), id="chest"),
        pytest.param(Facts(is_child=True), id="child"),
        pytest.param(Facts(location="neck"), id="neck"),
    ],
)
def test_final_results_list_nothing_missing(facts):
    assert assess(facts).missing == ()


def test_nothing_missing_when_everything_is_known():
    facts = Facts(
        location="low_back",
        side="left",
        duration_days=10,
        pattern="constant",
        radiation="none",
        leg_numbness=False,
        leg_weakness=False,
        worse_sitting=False,
        is_child=False,
        is_pregnant=False,
        kidney_stone_pattern=False,
    )
    assert assess(facts).missing == ()


def test_missing_follows_field_order():
    missing = assess(Facts()).missing
    order = [name for name in Facts.__dataclass_fields__ if name in missing]
    assert list(missing) == order


# --- reasons -----------------------------------------------------------------------------

WORDING_CASES = [
    pytest.param(Facts(red_flags=frozenset({"bladder_dysfunction"})), id="emergency"),
    pytest.param(Facts(red_flags=frozenset({"fever"})), id="urgent"),
    pytest.param(Facts(location="neck", is_child=True), id="out-of-scope"),
    pytest.param(
        Facts(location="low_back", side="left", radiation="foot", leg_numbness=True), id="sciatica"
    ),
    pytest.param(
        Facts(location="buttock", worse_sitting=True, radiation="thigh", leg_numbness=False),
        id="piriformis",
    ),
    pytest.param(Facts(location="low_back", duration_days=3), id="acute"),
    pytest.param(Facts(location="low_back", duration_days=60), id="subacute"),
    pytest.param(Facts(location="low_back", duration_days=300), id="chronic"),
    pytest.param(Facts(location="low_back", pattern="recurrent"), id="recurrent-unknown"),
    pytest.param(Facts(location="low_back"), id="unknown-duration"),
]


@pytest.mark.parametrize("facts", WORDING_CASES)
def test_reasons_never_diagnose(facts):
    for reason in assess(facts).reasons:
        lowered = reason.lower()
        assert "you have" not in lowered
        assert "you've got" not in lowered
        assert "diagnos" not in lowered
        assert reason[0].isupper() and reason.endswith(".")
        assert "_" not in reason


def test_sciatica_reason_uses_the_page_wording():
    reasons = assess(Facts(location="low_back", side="left", radiation="below_knee")).reasons
    assert any("match what the clinic's page calls sciatica-type pain" in r for r in reasons)
    assert any("below your knee" in r for r in reasons)


def test_piriformis_reason_uses_the_page_wording():
    reasons = assess(Facts(location="buttock", side="left", worse_sitting=True)).reasons
    assert any("piriformis-type pain" in r for r in reasons)
    assert any("sitting" in r for r in reasons)


def test_chronic_sciatica_is_told_it_has_lasted_long():
    facts = Facts(location="low_back", side="left", radiation="foot", duration_days=200)
    assert any("chronic" in reason for reason in assess(facts).reasons)


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [
        pytest.param(Thresholds(), ("6 weeks", "12 weeks"), id="default"),
        pytest.param(Thresholds(28, 84), ("4 weeks", "12 weeks"), id="acp"),
        pytest.param(Thresholds(30, 90), ("30 days", "90 days"), id="not-whole-weeks"),
    ],
)
def test_unknown_duration_reason_says_what_would_change(thresholds, expected):
    assessment = assess(Facts(location="low_back"), thresholds)
    text = " ".join(assessment.reasons)
    assert "not known" in text
    for limit in expected:
        assert limit in text
    assert "duration_days" in assessment.missing


def test_recurrent_unknown_duration_reason():
    text = " ".join(assess(Facts(location="low_back", pattern="recurrent")).reasons)
    assert "comes and goes" in text
    assert "more than 12 weeks" in text


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(21, "about 3 weeks, less than 6 weeks", id="acute"),
        pytest.param(56, "about 8 weeks, between 6 weeks and 12 weeks", id="subacute"),
        pytest.param(180, "about 6 months, more than 12 weeks", id="chronic"),
    ],
)
def test_duration_reason(days, expected):
    (reason,) = assess(Facts(location="low_back", duration_days=days)).reasons
    assert expected in reason


def test_out_of_scope_reasons_cover_each_cause():
    reasons = assess(Facts(location="neck", is_child=True)).reasons
    assert len(reasons) == 2
    assert "under 16" in reasons[0]
    assert "your neck" in reasons[1]


def test_pregnant_now_and_the_kidney_stone_pattern_are_out_of_scope_not_booked():
    for facts in (
        Facts(location="low_back", duration_days=14, is_pregnant=True),
        Facts(location="low_back", duration_days=0, kidney_stone_pattern=True),
    ):
        result = assess(facts)
        assert result.category == "out_of_scope" and not result.bookable
    stone = assess(Facts(location="low_back", kidney_stone_pattern=True))
    assert any("see a doctor today" in reason for reason in stone.reasons)


def test_the_kidney_stone_pattern_with_a_fever_is_an_emergency():
    facts = Facts(location="low_back", kidney_stone_pattern=True, red_flags={"fever"})
    assert assess(facts).category == "emergency"


def test_after_the_birth_is_in_scope():
    assert (
        assess(Facts(location="low_back", duration_days=20, is_pregnant=False)).category == "acute"
    )
