"""Actions against real rasa-sdk Trackers: events and messages, never a booking after a red flag."""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import ActionAnswer, ActionOfferBooking
from actions.responses import response_for
from actions.triage import ActionAssessTriage

BOOKING = "utter_offer_booking"
ROOT = Path(__file__).resolve().parents[3]


def tracker(slots=None, intent="inform", text="", active_loop=None, entities=()):
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message={
            "intent": {"name": intent, "confidence": 1.0},
            "entities": list(entities),
            "text": text,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, track):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {}))
    return events, [m.get("response") for m in dispatcher.messages]


SCREENED = {"screen_cauda": False, "screen_serious": False, "screen_injury_night": False}


@pytest.mark.parametrize(
    "slots, category, template",
    [
        ({"red_flags": ["bladder_dysfunction"]}, "emergency", "utter_emergency"),
        ({"red_flags": ["fever"]}, "emergency", "utter_urgent"),
        ({"pain_location": "neck"}, "out_of_scope", "utter_result_out_of_scope"),
        (
            {"pain_location": "low_back", "pain_duration_days": 10, "radiation": "none",
             "leg_numbness": False, **SCREENED},
            "acute", "utter_result_acute",
        ),
    ],
)  # fmt: skip
def test_assessment_sets_the_result_and_says_why(slots, category, template):
    events, responses = run(ActionAssessTriage(), tracker(slots))
    assert SlotSet("triage_result", category) in events
    assert template in responses
    assert (BOOKING in responses) is (category not in ("emergency", "out_of_scope"))


def test_a_safety_question_left_unanswered_gets_no_booking():
    slots = {"pain_location": "low_back", "pain_duration_days": 10, "radiation": "none",
             "leg_numbness": False, **SCREENED, "screen_serious": None,
             "unknown_facts": ["screen_serious"]}  # fmt: skip
    events, responses = run(ActionAssessTriage(), tracker(slots))
    assert SlotSet("triage_result", "acute") in events
    assert "utter_result_unscreened" in responses and BOOKING not in responses


def test_an_emergency_is_marked_for_staff():
    events, _ = run(ActionAssessTriage(), tracker({"red_flags": ["saddle_numbness"]}))
    assert SlotSet("needs_staff_review", True) in events


def test_a_model_only_red_flag_is_checked_while_screening_is_incomplete():
    events, responses = run(
        ActionAssessTriage(), tracker({"pain_location": "low_back"}, intent="red_flag")
    )
    assert responses == ["utter_red_flag_check"]
    assert events == [FollowupAction("triage_form")]


def test_a_model_only_red_flag_after_screening_gives_the_result():
    slots = {"pain_location": "low_back", "pain_duration_days": 100, **SCREENED}
    events, responses = run(ActionAssessTriage(), tracker(slots, intent="red_flag"))
    assert SlotSet("triage_result", "chronic") in events
    assert "utter_red_flag_check" not in responses


@pytest.mark.parametrize(
    "slots, expected_response, expected_events",
    [
        ({"triage_result": "emergency"}, "utter_emergency_reminder", []),
        ({}, "utter_screen_before_booking", [FollowupAction("triage_form")]),
        ({"triage_result": "acute"}, BOOKING, []),
        ({"triage_result": "out_of_scope"}, "utter_handoff", []),
        (
            {"triage_result": "acute", "skipped_facts": ["screen_serious"]},
            "utter_result_unscreened",
            [],
        ),
    ],
)
def test_booking_only_after_screening_and_never_after_a_red_flag(
    slots, expected_response, expected_events
):
    events, responses = run(ActionOfferBooking(), tracker(slots, intent="book"))
    assert responses == [expected_response]
    assert events == expected_events


def test_a_question_about_pain_outside_the_back_gets_the_out_of_scope_answer():
    events, responses = run(
        ActionAnswer(), tracker({"pain_location": "head"}, intent="faq_sessions")
    )
    assert SlotSet("triage_result", "out_of_scope") in events
    assert "utter_result_out_of_scope" in responses and BOOKING not in responses


@pytest.mark.parametrize("intent", ["out_of_scope", "faq_prices", "bot_challenge"])
def test_a_childs_back_pain_gets_the_out_of_scope_result_whatever_the_intent(intent):
    events, responses = run(ActionAnswer(), tracker({"visitor_is_child": True}, intent=intent))
    assert SlotSet("triage_result", "out_of_scope") in events
    assert "utter_result_out_of_scope" in responses and BOOKING not in responses


@pytest.mark.parametrize(
    "intent, response",
    [
        ("faq_sessions", "utter_faq_sessions"),
        ("faq_hours", "utter_faq_hours"),
        ("ask_question", "utter_question_menu"),
        ("bot_challenge", "utter_iamabot"),
        ("out_of_scope", "utter_out_of_scope"),
        ("other_language", "utter_english_only"),
    ],
)
def test_each_intent_is_answered_with_its_own_response(intent, response):
    events, responses = run(ActionAnswer(), tracker(intent=intent))
    assert responses == [response]
    assert events == []


def test_every_question_intent_in_the_domain_has_its_answer():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    questions = [i for i in domain["intents"] if i.startswith("faq_")]
    assert len(questions) == 11
    for intent in questions + ["ask_question"]:
        assert response_for(intent) in domain["responses"], intent


def test_a_question_with_back_pain_described_is_answered_then_the_screening_starts():
    track = tracker(
        {"pain_location": "low_back", "pain_duration_days": 56.0}, intent="faq_insurance"
    )
    events, responses = run(ActionAnswer(), track)
    assert responses == ["utter_faq_insurance"]
    assert events == [FollowupAction("triage_form")]


def test_a_question_during_the_screening_does_not_restart_it():
    track = tracker({"pain_location": "low_back"}, intent="faq_hours", active_loop="triage_form")
    events, _ = run(ActionAnswer(), track)
    assert events == []


def test_unclear_words_that_describe_back_pain_start_the_screening():
    from actions.replies import ActionHandleFallback

    events, responses = run(
        ActionHandleFallback(), tracker({"pain_location": "low_back"}, intent="nlu_fallback")
    )
    assert (events, responses) == ([FollowupAction("triage_form")], [])


def test_unclear_words_about_the_stomach_get_the_out_of_scope_answer():
    from actions.replies import ActionHandleFallback

    events, responses = run(
        ActionHandleFallback(), tracker({"pain_location": "abdomen"}, intent="nlu_fallback")
    )
    assert SlotSet("triage_result", "out_of_scope") in events
    assert "utter_result_out_of_scope" in responses


def test_unclear_words_without_facts_are_asked_to_rephrase():
    from actions.replies import ActionHandleFallback

    events, responses = run(ActionHandleFallback(), tracker({}, intent="nlu_fallback"))
    # then it listens: as the policies' last resort it must not be predicted again
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert responses == ["utter_fallback_rephrase"]


def test_a_question_with_a_possible_red_flag_is_answered_then_the_flag_is_asked_about():
    from actions.replies import ActionAnswer

    slots = {"pending_red_flag": "fever", "triage_result": "acute"}
    events, responses = run(ActionAnswer(), tracker(slots, intent="faq_prices"))
    assert responses == ["utter_faq_prices"]
    assert events == [{"event": "followup", "timestamp": None, "name": "triage_form"}]
    events, _ = run(ActionAnswer(), tracker({"triage_result": "acute"}, intent="faq_prices"))
    assert events == []
