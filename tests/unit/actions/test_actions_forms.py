"""The triage form keeps the facts extracted this turn, as rasa_sdk would, without warnings."""

import asyncio
import logging

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateCallbackForm, ValidateTriageForm

FORM_SLOTS = "pain_location pain_side pain_duration_days radiation leg_numbness red_flags"
DOMAIN = {
    "slots": {name: {"type": "any", "mappings": []} for name in FORM_SLOTS.split()},
    "forms": {"triage_form": {"required_slots": []}},
}


def tracker_after(facts: dict, slots: dict) -> Tracker:
    events = [{"event": "user", "text": "my lower back, 3 weeks"}]
    events += [{"event": "slot", "name": name, "value": value} for name, value in facts.items()]
    return Tracker(
        sender_id="form-test",
        slots={**slots, **facts},
        latest_message={"intent": {"name": "inform", "confidence": 1.0}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "triage_form"},
        latest_action_name="action_listen",
    )


def validation_events(form, track):
    return asyncio.run(form.get_validation_events(CollectingDispatcher(), track, DOMAIN))


def test_this_turns_facts_are_kept_without_a_warning(caplog):
    track = tracker_after({"pain_location": "low_back", "pain_duration_days": 21.0}, {})
    with caplog.at_level(logging.WARNING):
        events = validation_events(ValidateTriageForm(), track)
    assert events == [SlotSet("pain_location", "low_back"), SlotSet("pain_duration_days", 21.0)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_same_events_as_the_parent_gives():
    track = tracker_after({"pain_location": "low_back", "radiation": "none"}, {})
    form = ValidateTriageForm()
    expected = asyncio.run(
        FormValidationAction.get_validation_events(form, CollectingDispatcher(), track, DOMAIN)
    )
    assert validation_events(form, track) == expected


def test_after_a_red_flag_no_fact_is_set_again():
    track = tracker_after({"pain_location": "low_back"}, {"red_flags": ["fever"]})
    assert validation_events(ValidateTriageForm(), track) == []


# --- the call-back form: no question holds a visitor more than twice ------------------


def callback_tracker(slots: dict) -> Tracker:
    return Tracker(
        sender_id="callback-test",
        slots={"requested_slot": "callback_contact", **slots},
        latest_message={"intent": {"name": "inform", "confidence": 1.0}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "callback_form"},
        latest_action_name="action_listen",
    )


def contact(slots: dict, text: str):
    dispatcher = CollectingDispatcher()
    result = ValidateCallbackForm().validate_callback_contact(
        text, dispatcher, callback_tracker(slots), {}
    )
    return result, [m.get("response") for m in dispatcher.messages]


def callback_slots_left(slots: dict):
    form = ValidateCallbackForm()
    domain_slots = ["callback_name", "callback_contact", "callback_consent"]
    return asyncio.run(
        form.required_slots(domain_slots, CollectingDispatcher(), callback_tracker(slots), {})
    )


def test_a_first_unreadable_contact_is_asked_again_a_second_ends_the_form():
    result, said = contact({}, "my fever is 38.9 and i have chills")
    assert result == {"callback_contact": None, "callback_contact_tries": 1.0}
    assert said == ["utter_invalid_contact"]
    assert callback_slots_left(result) != []
    result, said = contact(result, "still shaking")
    assert result["callback_contact_tries"] == 2.0 and said == []
    assert callback_slots_left(result) == []


def test_a_red_flag_ends_the_callback_form_without_a_phone_complaint():
    result, said = contact({"red_flags": ["fever"]}, "shaking chills and 38.9")
    assert result == {"callback_contact": None} and said == []
    assert callback_slots_left({"red_flags": ["fever"]}) == []


def test_stop_ends_the_callback_form_and_a_valid_contact_is_kept():
    result, _ = contact({}, "never mind")
    assert result["callback_consent"] is False
    assert callback_slots_left(result) == []
    assert contact({}, "780-555-0199")[0] == {"callback_contact": "780-555-0199"}


def test_a_clear_question_instead_of_a_name_is_answered_and_the_name_asked_again():
    track = callback_tracker({"requested_slot": "callback_name"})
    track.latest_message = {"intent": {"name": "faq_hours", "confidence": 0.97}, "entities": []}
    dispatcher = CollectingDispatcher()
    result = ValidateCallbackForm().validate_callback_name(
        "when are you open", dispatcher, track, {}
    )
    assert result == {"callback_name": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_hours"]
    unsure = callback_tracker({"requested_slot": "callback_name"})
    unsure.latest_message = {
        "intent": {"name": "request_human", "confidence": 0.52},
        "entities": [],
    }
    kept = ValidateCallbackForm().validate_callback_name(
        "Jo Smith", CollectingDispatcher(), unsure, {}
    )
    assert kept == {"callback_name": "Jo Smith"}
