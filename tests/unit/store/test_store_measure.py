"""The live measure per week (bot/store/measure.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.store import labels, measure, summary
from bot.store.seed import Built
from tests.support.staff import BACKENDS, fresh_store, insert_rows

MONDAY = datetime(2025, 3, 10, 12, tzinfo=timezone.utc).timestamp()
DAY = 86_400
UTC = ZoneInfo("UTC")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def chat(sender, start, result, messages=2, fallback=False, flag=None):
    b = Built(sender, start).session()
    for n in range(messages):
        b.user(f"message {n}", "inform")
    if fallback:
        b.user("blorp", "nlu_fallback", 0.3).action("action_handle_fallback")
    if flag:
        b.slot("red_flags", [flag])
    return b.action("action_assess_triage").slot("triage_result", result).rows


def test_agreement_fallbacks_and_red_flags_per_week(store):
    rows = chat("a", MONDAY, "acute", messages=3, fallback=True)
    rows += chat("b", MONDAY + 2 * DAY, "emergency", flag="fever")
    rows += chat("c", MONDAY + 6 * DAY, "chronic")  # Sunday: still the first week
    rows += chat("d", MONDAY + 8 * DAY, "sciatica", messages=5)
    insert_rows(store, rows)
    summary.refresh(store)
    labels.set_conversation_label(store, "a", "sam", "acute")  # agreed
    labels.set_conversation_label(store, "b", "sam", "acute")  # staff disagree
    labels.set_conversation_label(store, "c", "sam", "chronic")  # agreed
    first, second, third = measure.weekly(store, date(2025, 3, 12), date(2025, 3, 24), UTC)
    assert [w.first_day for w in (first, second, third)] == [
        date(2025, 3, 10), date(2025, 3, 17), date(2025, 3, 24)
    ]  # fmt: skip
    assert (first.conversations, first.messages, first.fallbacks) == (3, 8, 1)
    assert first.fallbacks_per_100 == pytest.approx(12.5)
    assert (first.reviewed, first.agreed, first.red_flags) == (3, 2, 1)
    assert first.agreement == pytest.approx(2 / 3)
    assert (second.conversations, second.reviewed, second.agreement) == (1, 0, None)
    assert second.fallbacks_per_100 == 0 and second.red_flags == 0
    assert (third.conversations, third.fallbacks_per_100) == (0, None)


def test_weeks_follow_the_clinics_time_zone():
    edmonton = ZoneInfo("America/Edmonton")
    [(monday, start, end)] = measure.weeks(date(2025, 3, 12), date(2025, 3, 12), edmonton)
    assert monday == date(2025, 3, 10)
    assert datetime.fromtimestamp(start, edmonton).hour == 0 and end - start == 7 * DAY
