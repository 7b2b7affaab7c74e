"""summarise_facts wording for full, partial and unsure answers."""

import pytest

from bot.triage import Facts, summarise_facts
from bot.triage.vocab import LOCATIONS
from bot.triage.words import describe_days


def test_full_facts():
    facts = Facts(
        location="low_back",
        side="left",
        duration_days=21,
        pattern="constant",
        radiation="foot",
        leg_numbness=True,
        leg_weakness=False,
        worse_sitting=True,
        aggravators=frozenset({"sitting", "bending", "coughing"}),
    )
    assert summarise_facts(facts) == (
        "You told me: pain in your lower back on the left, for about 3 weeks, there all the "
        "time, going down to your foot, with numbness or tingling, no leg weakness, worse "
        "when sitting, made worse by bending and coughing."
    )


def test_brief_example():
    facts = Facts(
        location="low_back", side="left", duration_days=21, radiation="foot", leg_numbness=True
    )
    assert summarise_facts(facts) == (
        "You told me: pain in your lower back on the left, for about 3 weeks, going down to "
        "your foot, with numbness or tingling."
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            Facts(location="buttock"), "You told me: pain in your buttock.", id="location-only"
        ),
        pytest.param(Facts(side="right"), "You told me: pain on the right.", id="side-only"),
        pytest.param(
            Facts(duration_days=3, pattern="recurrent"),
            "You told me: for about 3 days, coming and going.",
            id="no-location",
        ),
        pytest.param(
            Facts(location="buttock", side="right", worse_sitting=False),
            "You told me: pain in your buttock on the right, not worse when sitting.",
            id="denied",
        ),
        pytest.param(
            Facts(location="low_back", is_child=True),
            "You told me: pain in your lower back, in a child under 16.",
            id="child",
        ),
        pytest.param(
            Facts(location="low_back", red_flags=frozenset({"fever"})),
            "You told me: pain in your lower back, and a fever or chills.",
            id="red-flag",
        ),
        pytest.param(
            Facts(location="low_back", aggravators=frozenset({"sitting"})),
            "You told me: pain in your lower back, made worse by sitting.",
            id="sitting-as-aggravator",
        ),
        pytest.param(
            Facts(location="low_back", unknown=frozenset({"duration_days"})),
            "You told me: pain in your lower back; you weren't sure how long.",
            id="unsure-how-long",
        ),
        pytest.param(
            Facts(location="low_back", unknown=frozenset({"duration_days", "side", "radiation"})),
            "You told me: pain in your lower back; you weren't sure which side it is on, how "
            "long or how far it spreads.",
            id="unsure-several",
        ),
        pytest.param(
            Facts(unknown=frozenset({"location"})),
            "You weren't sure where the pain is.",
            id="only-unsure",
        ),
        pytest.param(
            Facts(location="low_back", duration_days=10, unknown=frozenset({"duration_days"})),
            "You told me: pain in your lower back, for about 10 days.",
            id="answered-later",
        ),
        pytest.param(Facts(), "I don't know anything about the pain yet.", id="nothing"),
    ],
)
def test_partial_facts(facts, expected):
    assert summarise_facts(facts) == expected


DAYS_IN_WORDS = {
    0: "less than a day",
    1: "about 1 day",
    5: "about 5 days",
    14: "about 2 weeks",
    84: "about 12 weeks",
    90: "about 3 months",
    365: "about 12 months",
    1100: "about 3 years",
}


@pytest.mark.parametrize(("days", "expected"), DAYS_IN_WORDS.items())
def test_describe_days(days, expected):
    assert describe_days(days) == expected


@pytest.mark.parametrize("location", LOCATIONS)
def test_every_location_has_plain_words(location):
    text = summarise_facts(Facts(location=location))
    assert "_" not in text
    assert text.startswith("You told me: pain in ")
