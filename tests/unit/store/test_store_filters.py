"""ConversationFilter: lenient parsing of the list's query, round trip, date ranges."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store.filters import RESULTS, SORTS, ConversationFilter


def test_no_arguments_means_no_filter():
    f = ConversationFilter.from_args({})
    assert f == ConversationFilter()
    assert f.to_args() == {} and f.problems == ()


def test_every_filter_is_read():
    f = ConversationFilter.from_args(
        {
            "from": "2025-01-01",
            "to": "2025-01-31",
            "channel": "socketio",
            "result": "emergency",
            "red_flag": "yes",
            "fallback": "no",
            "callback": "yes",
            "reviewed": "no",
            "tag": "follow up",
            "min_turns": "2",
            "max_turns": "9",
            "q": "  numb  ",
            "sort": "turns",
            "order": "asc",
            "page": "3",
            "per_page": "100",
        }
    )
    assert f.date_from == date(2025, 1, 1) and f.date_to == date(2025, 1, 31)
    assert (f.channel, f.result, f.tag, f.q) == ("socketio", "emergency", "follow up", "numb")
    assert (f.red_flag, f.fallback, f.callback, f.reviewed) == (True, False, True, False)
    assert (f.min_turns, f.max_turns, f.sort, f.descending) == (2, 9, "turns", False)
    assert (f.page, f.per_page, f.offset) == (3, 100, 200)


def test_bad_values_are_dropped_and_reported():
    f = ConversationFilter.from_args(
        {"from": "yesterday", "result": "broken", "sort": "drop table", "min_turns": "-3"}
    )
    assert f.date_from is None and f.result is None and f.sort == "started"
    assert f.min_turns is None
    assert len(f.problems) == 4


def test_page_size_is_one_of_the_offered_sizes():
    assert ConversationFilter.from_args({"per_page": "100000"}).per_page == 50
    assert ConversationFilter.from_args({"page": "0"}).page == 1


def test_the_date_range_covers_whole_days_in_the_clinic_time_zone():
    edmonton = ZoneInfo("America/Edmonton")
    f = ConversationFilter.from_args({"from": "2025-03-09", "to": "2025-03-09"})
    start, end = f.time_range(edmonton)
    assert datetime.fromtimestamp(start, edmonton).hour == 0
    assert end - start == 23 * 3600  # the day clocks go forward has 23 hours


FILTERS = st.builds(
    ConversationFilter,
    date_from=st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    channel=st.none() | st.sampled_from(["rest", "socketio", "telegram"]),
    result=st.none() | st.sampled_from([*RESULTS, "none"]),
    red_flag=st.none() | st.booleans(),
    reviewed=st.none() | st.booleans(),
    min_turns=st.none() | st.integers(0, 50),
    q=st.none() | st.text("abc %_\\'\"<>", min_size=1, max_size=10).map(str.strip).filter(bool),
    sort=st.sampled_from(SORTS),
    descending=st.booleans(),
    page=st.integers(1, 500),
    per_page=st.sampled_from([25, 50, 100]),
)


@settings(max_examples=100, deadline=None)
@given(FILTERS)
def test_to_args_gives_the_same_filter_back(f):
    assert ConversationFilter.from_args(f.to_args()) == f
