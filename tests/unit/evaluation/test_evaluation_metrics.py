"""Metrics, judging and reports over hand-made outcomes and conversations (no HTTP)."""

from __future__ import annotations

import json

import pytest

from bot.evaluation.driver import Conversation, Turn
from bot.evaluation.judge import Outcome, contains_link, judge
from bot.evaluation.metrics import (
    accuracy,
    confusion,
    duration_error,
    emergency_recall,
    over_triage,
    problems,
    summarise,
    under_triage,
)
from bot.evaluation.report import json_report, text_report
from bot.evaluation.state import TrackerState
from bot.evaluation.visitors import RedFlagTag, Visitor


def outcome(expected, predicted, **extra) -> Outcome:
    return Outcome(
        visitor_id=extra.pop("visitor_id", f"{expected}-{predicted}"),
        expected=expected,
        predicted=predicted,
        **extra,
    )


OUTCOMES = [
    outcome("acute", "acute", expected_days=21, predicted_days=21),
    outcome("acute", "subacute", expected_days=35, predicted_days=45),
    outcome("chronic", "chronic", expected_days=90, predicted_days=84),
    outcome("sciatica", "emergency"),
    outcome("emergency", "emergency", flag_turn=1),
    outcome("emergency", "acute", expected_days=3),
    outcome("emergency", None, stop_reason="max_turns"),
    outcome("out_of_scope", "out_of_scope"),
]


def test_accuracy_and_emergency_recall():
    assert accuracy(OUTCOMES) == pytest.approx(4 / 8)
    assert emergency_recall(OUTCOMES) == pytest.approx(1 / 3)
    assert accuracy([]) == 0.0
    assert emergency_recall([outcome("acute", "acute")]) == 1.0


def test_over_and_under_triage():
    assert over_triage(OUTCOMES) == 1  # the sciatica visitor sent to emergency
    assert under_triage(OUTCOMES) == 2  # one called acute, one with no result
    assert over_triage([outcome("emergency", "emergency")]) == 0


def test_confusion_has_every_category_and_a_column_for_no_result():
    table = confusion(OUTCOMES)
    assert table["emergency"] == {
        "emergency": 1,
        "out_of_scope": 0,
        "sciatica": 0,
        "piriformis": 0,
        "acute": 1,
        "subacute": 0,
        "chronic": 0,
        "none": 1,
    }
    assert table["piriformis"]["piriformis"] == 0
    assert sum(sum(row.values()) for row in table.values()) == len(OUTCOMES)
    assert confusion([outcome("acute", "weird")])["acute"]["weird"] == 1


def test_duration_error_counts_only_stated_durations():
    error = duration_error(OUTCOMES)
    assert error.compared == 3 and error.missing == 1
    assert error.mean == pytest.approx((0 + 10 + 6) / 3)
    assert error.max == 10
    assert duration_error([outcome("acute", "acute")]).mean is None


def test_summary_and_pass_fail():
    metrics = summarise(OUTCOMES)
    assert (metrics.conversations, metrics.correct) == (8, 4)
    assert (metrics.expected_emergencies, metrics.caught_emergencies) == (3, 1)
    assert metrics.unfinished == 1
    assert set(metrics.failures) == {
        "acute-subacute",
        "sciatica-emergency",
        "emergency-acute",
        "emergency-None",
    }
    found = problems(metrics, 0.95)
    assert any("emergency recall" in p for p in found)
    assert any("accuracy 50.0%" in p for p in found)


def test_a_perfect_run_passes_and_a_booking_after_a_flag_fails():
    good = [outcome("emergency", "emergency", flag_turn=2), outcome("acute", "acute")]
    assert problems(summarise(good), 0.95) == []
    leaked = [outcome("emergency", "emergency", flag_turn=2, booking_turn=3)]
    metrics = summarise(leaked)
    assert metrics.booking_after_flag == 1
    assert problems(metrics, 0.95) == ["booking link offered after a red flag in 1 conversations"]
    assert problems(summarise([outcome("acute", None, error="HTTP 500")]), 0.0) == [
        "1 conversations ended with an HTTP error"
    ]
    assert problems(summarise([]), 0.0) == ["no conversations were played"]


def test_reports():
    metrics = summarise(OUTCOMES)
    found = problems(metrics, 0.95)
    text = text_report(metrics, OUTCOMES, 0.95, found)
    assert "triage accuracy              50.0% (4/8)" in text
    assert "emergency recall             33.3% (1/3)" in text
    assert "--- emergency-None: expected emergency, got no result" in text
    assert text.splitlines()[-1].startswith("FAIL: ")
    data = json.loads(json.dumps(json_report(metrics, OUTCOMES, found)))
    assert data["passed"] is False
    assert data["metrics"]["over_triage"] == 1
    assert len(data["conversations"]) == 8


# --- judge ------------------------------------------------------------------------------


def turn(number, source, state, *texts, buttons=None) -> Turn:
    replies = tuple({"recipient_id": "s", "text": t} for t in texts)
    if buttons:
        replies += ({"recipient_id": "s", "buttons": buttons},)
    return Turn(number, source, f"message {number}", replies, state)


ASKING = TrackerState(requested_slot="screen_cauda", active_loop="triage_form")
FLAGGED = TrackerState(triage_result="emergency", red_flags=("fever",))
BOOK = "Book here: https://www.Example-Clinic.ca/book/"


def emergency_visitor(said_in="screen_serious") -> Visitor:
    return Visitor(
        id="e1",
        opener="back pain",
        expected="emergency",
        answers={"screen_serious": "fever"},
        red_flag=RedFlagTag("fever", said_in),
    )


def test_booking_before_the_red_flag_is_allowed_after_it_is_not():
    before = Conversation(
        "e1",
        "s",
        [
            turn(1, "opener", ASKING, BOOK),
            turn(2, "answer:screen_serious", FLAGGED, "Call 811."),
        ],
        "result",
    )
    result = judge(emergency_visitor(), before, "https://example-clinic.ca/book")
    assert (result.flag_turn, result.booking_turn, result.correct) == (2, None, True)
    after = Conversation(
        "e1",
        "s",
        [
            turn(1, "opener", ASKING),
            turn(2, "answer:screen_serious", FLAGGED, "Call 811."),
            turn(3, "extra:0", FLAGGED, buttons=[{"title": "Book", "payload": BOOK}]),
        ],
        "result",
    )
    result = judge(emergency_visitor(), after, "example-clinic.ca/book")
    assert (result.flag_turn, result.booking_turn) == (2, 3)
    assert result.failed


def test_the_scripted_red_flag_counts_even_when_the_bot_missed_it():
    conversation = Conversation(
        "e1",
        "s",
        [
            turn(1, "opener", ASKING),
            turn(2, "answer:screen_serious", ASKING),
            turn(3, "answer:screen_injury_night", TrackerState(triage_result="acute"), BOOK),
        ],
        "result",
    )
    result = judge(emergency_visitor(), conversation, "example-clinic.ca/book")
    assert (result.predicted, result.flag_turn, result.booking_turn) == ("acute", 2, 3)
    assert any("bot: Book here" in line for line in result.transcript)


def test_without_any_red_flag_a_booking_link_is_fine():
    plain = Visitor(id="a1", opener="back pain", expected="acute")
    conversation = Conversation("a1", "s", [turn(1, "opener", TrackerState("x"), BOOK)], "result")
    result = judge(plain, conversation, "example-clinic.ca/book")
    assert result.flag_turn is None and not result.booking_after_flag


@pytest.mark.parametrize(
    "message, found",
    [
        ({"text": "Book at https://example-clinic.ca/book"}, True),
        ({"text": "Book at EXAMPLE-CLINIC.CA/BOOK?ref=bot"}, True),
        ({"buttons": [{"title": "Book", "payload": "http://www.example-clinic.ca/book"}]}, True),
        ({"custom": {"url": "example-clinic.ca/book"}}, True),
        ({"text": "Call 911 now. See example-clinic.ca/faq"}, False),
        ({"text": "Please don't book yet"}, False),
    ],
)
def test_contains_link(message, found):
    assert contains_link(message, "https://example-clinic.ca/book") is found
    assert contains_link(message, "") is False


def _turn(number, source, flags=(), result=None):
    return Turn(number, source, "text", (), TrackerState(red_flags=flags, triage_result=result))


def test_own_words_catch_is_on_a_message_that_does_not_answer_a_safety_question():
    told = Visitor(
        id="e1",
        opener="my foot slaps the floor",
        expected="emergency",
        red_flag=RedFlagTag("leg_weakness", "opener"),
    )
    caught = Conversation(
        "e1", "s", [_turn(1, "opener"), _turn(2, "answer:pain_location", ("leg_weakness",))]
    )
    late = Conversation(
        "e1",
        "s",
        [_turn(1, "opener"), _turn(2, "answer:screen_cauda", ("cauda_equina_screen_positive",))],
    )
    after_screening = Conversation(
        "e1",
        "s",
        [_turn(1, "opener"), _turn(2, "answer:screen_cauda"), _turn(3, "extra:0", ("fever",))],
    )
    assert judge(told, caught, "x").own_words is True
    assert judge(told, late, "x").own_words is False
    assert judge(told, after_screening, "x").own_words is True
    assert judge(Visitor(id="a", opener="o", expected="acute"), caught, "x").own_words is None
    screened = Visitor(
        id="e2", opener="o", expected="emergency", red_flag=RedFlagTag("fever", "screen_serious")
    )
    assert judge(screened, late, "x").own_words is None


def test_own_words_and_out_of_scope_recall_in_the_summary():
    outcomes = [
        outcome("emergency", "emergency", own_words=True),
        outcome("emergency", "emergency", own_words=False),
        outcome("emergency", "emergency"),
        outcome("out_of_scope", "out_of_scope"),
        outcome("out_of_scope", "acute"),
        outcome("acute", "emergency"),
        outcome("acute", "acute"),
    ]
    m = summarise(outcomes)
    assert (m.own_words_caught, m.own_words_expected) == (1, 2)
    assert m.own_words_recall == pytest.approx(0.5)
    assert m.out_of_scope_recall == pytest.approx(0.5)
    assert m.over_triage_rate == pytest.approx(1 / 4)
    assert summarise([outcome("acute", "acute")]).own_words_recall == 1.0


def test_a_recorded_row_lands_in_the_log_table(tmp_path):
    import datetime as dt

    from bot.evaluation.record import HEADER, append_row, row

    log = tmp_path / "triage-eval.md"
    log.write_text("# Log\n\nSome prose.\n", encoding="utf-8")
    line = row(summarise(OUTCOMES), "blind|1", "own_words", "abc123", dt.date(2026, 12, 7))
    append_row(log, line)
    append_row(log, line)
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# Log\n\nSome prose.\n")
    assert text.count(HEADER) == 1
    assert text.endswith(line + line)
    assert "| 2026-12-07 | abc123 | blind/1 | 8 | own_words | 50.0% (4/8) |" in line


def test_a_question_answered_without_triage_is_out_of_scope_but_stalled_pain_is_not():
    from bot.evaluation.judge import predicted_category

    def stalled(slots, flags=()):
        state = TrackerState(red_flags=flags, slots=slots)
        turn = Turn(1, "opener", "how much?", ({"text": "$110"},), state)
        return Conversation("v", "s", [turn], stop_reason="stalled")

    assert predicted_category(stalled({})) == "out_of_scope"
    assert predicted_category(stalled({"pain_location": "low_back"})) is None
    assert predicted_category(stalled({}, ("fever",))) is None
    error = Conversation("v", "s", [], stop_reason="error")
    assert predicted_category(error) is None
