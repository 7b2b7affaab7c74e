"""The triage form keeps the facts extracted this turn, as rasa_sdk would, without warnings."""

import asyncio
import logging

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateTriageForm

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
