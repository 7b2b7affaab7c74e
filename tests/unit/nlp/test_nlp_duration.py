"""``parse_duration`` and the ``backchat_duration`` pipe."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlp.duration import (
    FOR_AGES_DAYS,
    Duration,
    DurationTagger,
    find_durations,
    parse_duration,
)
from bot.nlp.extensions import SPANS_KEY
from bot.nlp.numbers import parse_number

TODAY = datetime.date(2024, 5, 15)  # a Wednesday
MONTH = 365.25 / 12
YEAR = 365.25

DURATIONS = [
    # (text, days, recurrent, approximate)
    ("3 wks", 21, False, False),
    ("3 weeks", 21, False, False),
    ("for 3 weeks now", 21, False, False),
    ("2w", 14, False, False),
    ("3d", 3, False, False),
    ("a couple of months", 2 * MONTH, False, True),
    ("a few weeks", 21, False, True),
    ("several months", 4 * MONTH, False, True),
    ("since last tuesday", 1, False, False),
    ("since monday", 2, False, False),
    ("since last wednesday", 7, False, False),
    ("since christmas", 142, False, False),
    ("since new year", 135, False, False),
    ("since new year's day", 135, False, False),
    ("since march", 75, False, True),
    ("since mid-march", 61, False, True),
    ("since may", 14, False, True),
    ("since June", 349, False, True),
    ("since yesterday", 1, False, False),
    ("yesterday", 1, False, False),
    ("this morning", 0, False, False),
    ("since this morning", 0, False, False),
    ("2 days ago", 2, False, False),
    ("it started 10 days ago", 10, False, False),
    ("for ages", FOR_AGES_DAYS, False, True),
    ("ages ago", FOR_AGES_DAYS, False, True),
    ("years", 3 * YEAR, False, True),
    ("for years", 3 * YEAR, False, True),
    ("months", 3 * MONTH, False, True),
    ("for weeks", 21, False, True),
    ("on and off for years", 3 * YEAR, True, True),
    ("off and on for 2 years", 2 * YEAR, True, False),
    ("it comes and goes, about 6 months", 6 * MONTH, True, True),
    ("three weeks", 21, False, False),
    ("twenty one days", 21, False, False),
    ("twenty-one days", 21, False, False),
    ("a week and a half", 10.5, False, False),
    ("two and a half months", 2.5 * MONTH, False, False),
    ("one and a half years", 1.5 * YEAR, False, False),
    ("half a year", 0.5 * YEAR, False, False),
    ("6 mo", 6 * MONTH, False, False),
    ("6mo", 6 * MONTH, False, False),
    ("6 mths", 6 * MONTH, False, False),
    ("1.5 years", 1.5 * YEAR, False, False),
    ("2 yrs", 2 * YEAR, False, False),
    ("a fortnight", 14, False, False),
    ("about a month", MONTH, False, True),
    ("over 3 months", 3 * MONTH, False, True),
    ("nearly 6 weeks", 42, False, True),
    ("2-3 weeks", 17.5, False, True),
    ("3 or 4 months", 3.5 * MONTH, False, True),
    ("3 months+", 3 * MONTH, False, True),
    ("12 weeks ish", 84, False, True),
    ("48 hours ago", 2, False, False),
    ("for the past 48 hours", 2, False, False),
    ("since 2019", 1961, False, True),
    ("since last fall", 257, False, True),
    ("since easter", 45, False, False),
    ("since the weekend", 4, False, True),
    ("last week", 7, False, True),
    ("since I was a kid", FOR_AGES_DAYS, False, True),
    ("Three Weeks", 21, False, False),
    ("it flares up every few months, this time for 10 days", 10, True, False),
    ("back pain for 6 weeks, recurring for 2 years", 2 * YEAR, True, False),
]


@pytest.mark.parametrize(("text", "days", "recurrent", "approximate"), DURATIONS)
def test_parse_duration(text, days, recurrent, approximate):
    assert parse_duration(text, TODAY) == Duration(
        pytest.approx(days), recurrent=recurrent, approximate=approximate
    )


NOT_DURATIONS = [
    "I'm 67 years old",
    "a 45-year-old man",
    "3 times a week",
    "twice a month",
    "every few weeks",
    "I can only sit for 20 minutes",
    "I can sit for 2 hours",
    "since the fall",
    "since the accident",
    "for a while",
    "in 2 weeks I see the doctor",
    "some days are worse",
    "today",
    "I'm 6 months pregnant",
    "it hurts after sitting for a long time",
    "more standing a long time",
    "I can't walk for more than a few days without a rest",
    "",
    "hello",
]


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_not_durations(text):
    assert parse_duration(text, TODAY) is None


def test_holidays_and_months_count_from_the_most_recent_one():
    assert parse_duration("since christmas", datetime.date(2024, 12, 27)).days == 2
    assert parse_duration("since christmas", datetime.date(2024, 12, 25)).days == 0
    assert parse_duration("since march", datetime.date(2024, 3, 20)).days == 19
    assert parse_duration("since march", datetime.date(2024, 2, 1)).days == 337


def test_a_date_in_the_future_is_not_a_duration():
    assert parse_duration("since march 2030", TODAY) is None
    assert parse_duration("since 2030", TODAY) is None


def test_find_durations_reports_spans_in_text_order():
    text = "on and off for 2 years, this time since monday"
    found = find_durations(text, TODAY)
    assert [text[m.start : m.end] for m in found] == ["2 years", "since monday"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("1.5", 1.5), ("twenty one", 21), ("twenty-one", 21), ("a couple of", 2),
     ("several", 4), ("eleven", 11), ("lots", None), ("twenty eleven", None), ("", None)],
)  # fmt: skip
def test_parse_number(text, value):
    assert parse_number(text) == value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.dates(min_value=datetime.date(1, 1, 1)))
def test_parse_duration_never_raises(text, today):
    found = parse_duration(text, today)
    assert found is None or found.days >= 0


WORDS = st.sampled_from(
    ["for", "since", "a", "few", "couple", "of", "3", "1.5", "twenty", "one", "and", "half",
     "weeks", "wks", "2w", "months", "mo", "years", "yrs", "days", "ago", "last", "tuesday",
     "christmas", "march", "on", "off", "ages", "every", "times", "old", "-", "or", "9999"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=8), st.dates(min_value=datetime.date(2, 1, 1)))
def test_duration_like_phrases_give_non_negative_bounded_days(words, today):
    text = " ".join(words)
    for match in find_durations(text, today):
        assert 0 <= match.duration.days <= 150 * YEAR
        assert 0 <= match.start < match.end <= len(text)


def test_tagger_adds_duration_entities_with_extensions():
    import spacy

    nlp = spacy.blank("en")
    doc = DurationTagger(today=lambda: TODAY)(nlp("pain on and off for 3 weeks"))
    [ent] = doc.ents
    assert (ent.text, ent.label_, ent._.days, ent._.recurrent) == ("3 weeks", "duration", 21, True)


def test_tagger_does_not_clobber_existing_entities():
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    doc = nlp("I am 67 years old")
    doc.ents = [Span(doc, 0, 5, label="age")]
    doc = DurationTagger(today=lambda: TODAY)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("I am 67 years old", "age")]
    assert SPANS_KEY not in doc.spans or not list(doc.spans[SPANS_KEY])


@pytest.mark.parametrize(
    "text, days",
    [
        ("on sat", 2),
        ("since sun", 1),
        ("since 10 days", 10),
        ("a fortnight", 14),
        ("1.5 month", 45.7),
        ("3 months", 91.3),
        ("years. like 3", 1095.8),
        ("weeks, maybe 5", 35),
        ("it started october 10th when i pulled it", 58),
        ("since the 3rd of november", 34),
        ("since about 2019", 2897),
        ("on and off since i was like 30 and im 52 now", 8035.5),
    ],
)
def test_the_durations_visitors_write(text, days):
    found = find_durations(text, datetime.date(2026, 12, 7))
    assert [round(m.duration.days, 1) for m in found] == [days]


@pytest.mark.parametrize(
    "text",
    ["in the sun", "i may 5 times a day", "i'm 58 years old", "massages which helped for a day"],
)
def test_words_that_are_not_durations(text):
    assert find_durations(text, datetime.date(2026, 12, 7)) == []
