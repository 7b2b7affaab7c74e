"""Run the clinical rules over the facts collected and tell the visitor where it points."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.settings import clinic
from bot.triage import RED_FLAGS, SCREEN_SLOTS, Assessment, Facts, assess, summarise_facts

FACT_WORDS = {
    "pain_location": "where the pain is",
    "location": "where the pain is",
    "pain_duration_days": "how long you've had it",
    "duration_days": "how long you've had it",
    "radiation": "whether it travels down your leg",
    "pain_side": "which side it's on",
    "side": "which side it's on",
    "leg_numbness": "numbness or tingling",
    "leg_weakness": "leg weakness",
    "worse_sitting": "whether sitting makes it worse",
}


def red_flag_labels(assessment: Assessment) -> str:
    """The triggering red flags in the visitor's own kind of words."""
    labels = [RED_FLAGS[flag].label for flag in assessment.red_flags if flag in RED_FLAGS]
    return "; ".join(labels) or "what you told me"


def needs_red_flag_check(assessment: Assessment, tracker: Tracker) -> bool:
    """The intent model heard a warning sign no rule recognised, and screening is not done.

    Once the visitor has answered the safety questions (or the pain is outside what the
    bot covers), their answers stand and the result is given.
    """
    if assessment.category in ("emergency", "out_of_scope"):
        return False
    unknown = set(tracker.get_slot("unknown_facts") or [])
    unknown |= set(tracker.get_slot("skipped_facts") or [])
    return any(tracker.get_slot(s) is None and s not in unknown for s in SCREEN_SLOTS)


class ActionAssessTriage(Action):
    """Facts from the slots -> bot.triage.assess -> result slot and messages."""

    def name(self) -> str:
        return "action_assess_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = clinic()
        values = settings.template_values()
        facts = Facts.from_slots(tracker.current_slot_values())
        assessment = assess(facts, settings.thresholds)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "red_flag" and needs_red_flag_check(assessment, tracker):
            # The intent model heard a warning sign that no rule recognised: ask directly.
            dispatcher.utter_message(response="utter_red_flag_check")
            if tracker.active_loop or tracker.get_slot("triage_result"):
                return []
            return [FollowupAction("triage_form")]  # the safety questions come in the form
        return report_assessment(dispatcher, facts, assessment, values)


def report_assessment(
    dispatcher: CollectingDispatcher, facts: Facts, assessment: Assessment, values: dict[str, str]
) -> list[EventType]:
    """Tell the visitor the result and why; return the slot events that record it."""
    events: list[EventType] = [
        SlotSet("triage_result", assessment.category),
        SlotSet("triage_urgency", assessment.urgency),
    ]
    if assessment.category == "emergency":
        template = "utter_emergency" if assessment.urgency == "emergency" else "utter_urgent"
        dispatcher.utter_message(
            response=template, red_flag_labels=red_flag_labels(assessment), **values
        )
        return [*events, SlotSet("needs_staff_review", True)]

    reasons = " ".join(assessment.reasons)
    dispatcher.utter_message(
        response="utter_result_summary",
        summary=summarise_facts(facts),
    )
    dispatcher.utter_message(
        response=f"utter_result_{assessment.category}", reasons=reasons, **values
    )
    unknown = [
        FACT_WORDS.get(name, name.replace("_", " "))
        for name in assessment.missing
        if name in facts.unknown  # only what the visitor said they weren't sure of
    ]
    if assessment.unscreened:
        dispatcher.utter_message(response="utter_result_unscreened", **values)
    if not assessment.bookable:
        return events
    if unknown:
        dispatcher.utter_message(
            response="utter_result_uncertain", unknown=" and ".join(dict.fromkeys(unknown))
        )
    dispatcher.utter_message(response="utter_offer_booking", **values)
    return events
