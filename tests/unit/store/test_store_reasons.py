"""Why the review queue lists a conversation (bot/store/reasons.py through fold)."""

from __future__ import annotations

from bot.store import reasons
from bot.store.fold import fold
from bot.store.seed import Built, by_sender
from tests.support.staff import as_events, real_rows

REAL = {sender: as_events(rows) for sender, rows in by_sender(real_rows()).items()}


def folded(b: Built) -> dict:
    return fold(as_events(b.rows)).summary


def codes(summary: dict) -> list:
    return (summary["review_reasons"] or "").split(",") if summary["review_reasons"] else []


def test_recorded_conversations():
    emergency = fold(REAL["visitor-emergency"]).summary
    assert codes(emergency) == ["red_flag", "flagged"] and emergency["review_score"] == 75
    assert codes(fold(REAL["visitor-callback"]).summary) == ["callback", "flagged"]
    assert codes(fold(REAL["visitor-fallback"]).summary) == ["fallback", "left_mid_form"]
    chronic = fold(REAL["visitor-chronic"]).summary
    assert chronic["review_score"] == 0 and chronic["review_reasons"] is None


def test_a_question_asked_twice():
    b = Built("v", 0).session().loop("triage_form").slot("requested_slot", "pain_duration_days")
    b.user("ages", "inform", 0.9).bot("How long?", "utter_ask_pain_duration_days")
    b.user("a while", "inform", 0.9).slot("requested_slot", "radiation")
    b.user("no", "deny").loop(None).action("action_assess_triage").slot("triage_result", "acute")
    assert codes(folded(b)) == ["asked_twice"]


def test_the_callback_form_asking_again_is_not_a_question_asked_twice():
    b = Built("v", 0).session().loop("callback_form").slot("requested_slot", "callback_name")
    b.user("Jo", "nlu_fallback", 0.3).user("Jo Smith", "nlu_fallback", 0.3).loop(None)
    assert codes(folded(b)) == []


def test_a_red_flag_asked_about_but_not_raised():
    b = Built("v", 0).session()
    entity = {"entity": "red_flag", "value": "saddle_numbness", "role": "negated"}
    b.user("no numbness in my groin", "deny", 0.95, entities=[entity])
    b.action("action_assess_triage").slot("triage_result", "acute")
    assert codes(folded(b)) == ["red_flag_asked"]


def test_left_mid_form_only_without_a_result():
    b = Built("v", 0).session().loop("triage_form").slot("requested_slot", "radiation")
    b.user("my back hurts", "inform")
    assert codes(folded(b)) == ["left_mid_form"]
    b.action("action_assess_triage").slot("triage_result", "acute")
    assert codes(folded(b)) == []


def test_low_confidence_and_weights():
    b = Built("v", 0).session().user("uh maybe the thing", "inform", 0.41)
    summary = folded(b)
    assert codes(summary) == ["low_confidence"] and summary["review_score"] == 10
    assert reasons.labels("low_confidence,red_flag") == [
        "a red flag was raised",
        "low intent confidence",
    ]
    assert reasons.score(["red_flag", "callback", "unknown"]) == 80
