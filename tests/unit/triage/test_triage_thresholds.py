"""Thresholds validation and the duration classes at every boundary."""

import pytest

from bot.triage import Facts, Thresholds, assess
from bot.triage.thresholds import classify_duration, duration_class

ACP = Thresholds(acute_below_days=28, chronic_above_days=84)


def test_defaults_are_six_and_twelve_weeks():
    assert Thresholds() == Thresholds(acute_below_days=42, chronic_above_days=84)


# The days at and around each boundary, by the class they fall in.
DEFAULT_CLASSES = {
    "acute": (0, 0.5, 41, 41.9),
    "subacute": (42, 60, 84),
    "chronic": (84.1, 85, 3650),
}
ACP_CLASSES = {"acute": (27,), "subacute": (28, 41, 84), "chronic": (85,)}


def boundary_cases(name, thresholds, classes):
    return [
        pytest.param(thresholds, days, expected, id=f"{name}-{days}-{expected}")
        for expected, days_list in classes.items()
        for days in days_list
    ]


@pytest.mark.parametrize(
    ("thresholds", "days", "expected"),
    boundary_cases("default", None, DEFAULT_CLASSES) + boundary_cases("acp", ACP, ACP_CLASSES),
)
def test_boundaries(thresholds, days, expected):
    """None stands for assess's default thresholds."""
    assert classify_duration(days, thresholds or Thresholds()) == expected
    facts = Facts(location="low_back", duration_days=days)
    assessment = assess(facts) if thresholds is None else assess(facts, thresholds)
    assert assessment.category == expected
    assert assessment.duration_class == expected


def test_no_subacute_band_when_thresholds_meet():
    thresholds = Thresholds(acute_below_days=85, chronic_above_days=84)
    assert classify_duration(84, thresholds) == "acute"
    assert classify_duration(85, thresholds) == "chronic"


def test_single_day_subacute_band():
    thresholds = Thresholds(acute_below_days=84, chronic_above_days=84)
    assert [classify_duration(d, thresholds) for d in (83, 84, 85)] == [
        "acute",
        "subacute",
        "chronic",
    ]


@pytest.mark.parametrize(
    ("days", "pattern", "expected"),
    [
        pytest.param(None, None, None, id="nothing-known"),
        pytest.param(None, "constant", None, id="constant-unknown-length"),
        pytest.param(None, "recurrent", "chronic", id="recurrent-unknown-length"),
        pytest.param(10, "recurrent", "acute", id="recurrent-short-follows-duration"),
        pytest.param(50, "recurrent", "subacute", id="recurrent-middle-follows-duration"),
        pytest.param(120, "recurrent", "chronic", id="recurrent-long"),
        pytest.param(120, "constant", "chronic", id="constant-long"),
    ],
)
def test_duration_class_with_pattern(days, pattern, expected):
    assert duration_class(days, pattern, Thresholds()) == expected


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({"acute_below_days": 0}, "acute_below_days", id="acute-zero"),
        pytest.param({"acute_below_days": -5}, "acute_below_days", id="acute-negative"),
        pytest.param({"acute_below_days": 42.0}, "acute_below_days", id="acute-float"),
        pytest.param({"acute_below_days": "42"}, "acute_below_days", id="acute-string"),
        pytest.param({"acute_below_days": True}, "acute_below_days", id="acute-bool"),
        pytest.param({"acute_below_days": None}, "acute_below_days", id="acute-none"),
        pytest.param({"chronic_above_days": 0}, "chronic_above_days", id="chronic-zero"),
        pytest.param({"chronic_above_days": 84.5}, "chronic_above_days", id="chronic-float"),
        pytest.param(
            {"acute_below_days": 90, "chronic_above_days": 84},
            "acute_below_days",
            id="acute-above-chronic",
        ),
        pytest.param(
            {"acute_below_days": 86, "chronic_above_days": 84},
            "acute_below_days",
            id="acute-two-above-chronic",
        ),
    ],
)
def test_invalid_thresholds_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Thresholds(**kwargs)


def test_thresholds_are_frozen():
    with pytest.raises(AttributeError):
        Thresholds().acute_below_days = 1  # type: ignore[misc]
