"""Replies that carry the clinic's own details (links, phone, hours) from clinic.yml."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import MAX_CONTACT_TRIES
from actions.responses import response_for
from actions.settings import clinic
from actions.triage import report_assessment
from bot.triage import Facts, assess
from bot.triage.rules import is_out_of_scope


def start_triage_if_pain_was_described(tracker: Tracker, facts: Facts) -> list[EventType]:
    """ "8 weeks of low back pain, is it covered by Blue Cross?": answer, then screen.

    A possible red flag in the message is asked about at once, quoting the visitor, even
    after a result (the triage form asks that question first)."""
    if tracker.active_loop_name:
        return []
    if tracker.get_slot("pending_red_flag"):
        return [FollowupAction("triage_form")]
    if tracker.get_slot("triage_result") is not None:
        return []
    return [FollowupAction("triage_form")] if facts.location else []


class ActionSessionStart(Action):
    """Greets once per session, with the privacy and not-a-diagnosis notice."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_welcome", **clinic().template_values())
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionAnswer(Action):
    """Answers a question from the clinic's page, a bot challenge or off-topic chat."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message
        response = response_for((message.get("intent") or {}).get("name") or "")
        facts = Facts.from_slots(tracker.current_slot_values())
        if tracker.get_slot("triage_result") is None and is_out_of_scope(facts):
            # "Can acupuncture help my headaches?", "my son's back hurts": say plainly what
            # this bot covers, whichever intent the question got.
            settings = clinic()
            assessment = assess(facts, settings.thresholds)
            return report_assessment(dispatcher, facts, assessment, settings.template_values())
        dispatcher.utter_message(response=response, **clinic().template_values())
        return start_triage_if_pain_was_described(tracker, facts)


class ActionOfferBooking(Action):
    """The booking link, but only after screening, and never after a red flag."""

    def name(self) -> str:
        return "action_offer_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        values = clinic().template_values()
        result = tracker.get_slot("triage_result")
        if result == "emergency":
            dispatcher.utter_message(response="utter_emergency_reminder", **values)
            return []
        if result is None:
            dispatcher.utter_message(response="utter_screen_before_booking")
            return [FollowupAction("triage_form")]
        if result == "out_of_scope":
            dispatcher.utter_message(response="utter_handoff", **values)
            return []
        facts = Facts.from_slots(tracker.current_slot_values())
        if assess(facts, clinic().thresholds).unscreened:
            dispatcher.utter_message(response="utter_result_unscreened", **values)
            return []
        dispatcher.utter_message(response="utter_offer_booking", **values)
        return []


class ActionHandoff(Action):
    """How to reach a person at the clinic."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff", **clinic().template_values())
        return []


class ActionHandleFallback(Action):
    """First misunderstanding: ask to rephrase. Second in a row: offer the phone.

    Unclear words that still described pain (a location was read) go to the screening, or
    to the out-of-scope answer, instead.
    """

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        user_intents = [
            (e.get("parse_data") or {}).get("intent", {}).get("name")
            for e in tracker.events
            if e.get("event") == "user"
        ]
        facts = Facts.from_slots(tracker.current_slot_values())
        if tracker.get_slot("triage_result") is None and is_out_of_scope(facts):
            settings = clinic()
            assessment = assess(facts, settings.thresholds)
            return report_assessment(dispatcher, facts, assessment, settings.template_values())
        followup = start_triage_if_pain_was_described(tracker, facts)
        if followup:  # the words were unclear, but they described back pain
            return followup
        if len(user_intents) >= 2 and user_intents[-2] == "nlu_fallback":
            dispatcher.utter_message(response="utter_fallback_phone", **clinic().template_values())
        else:
            dispatcher.utter_message(response="utter_fallback_rephrase")
        # Then listen: predicted as the policies' last resort, the fallback would otherwise
        # be predicted again and again within the same turn.
        return [FollowupAction("action_listen")]


class ActionSaveCallback(Action):
    """Keeps a consented call-back request in the tracker for staff; else forgets it."""

    def name(self) -> str:
        return "action_save_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = clinic()
        values = settings.template_values()
        if tracker.get_slot("triage_result") == "emergency":
            dispatcher.utter_message(response="utter_emergency_reminder", **values)
            return []
        if tracker.get_slot("red_flags"):  # told during the form: it ends the request
            facts = Facts.from_slots(tracker.current_slot_values())
            assessment = assess(facts, settings.thresholds)
            return [*_forget_callback(), *report_assessment(dispatcher, facts, assessment, values)]
        if tracker.get_slot("callback_consent") is True:
            dispatcher.utter_message(
                response="utter_callback_saved",
                callback_name=tracker.get_slot("callback_name"),
                callback_contact=tracker.get_slot("callback_contact"),
                **values,
            )
            return [SlotSet("callback_requested", True), SlotSet("needs_staff_review", True)]
        unreadable = (tracker.get_slot("callback_contact_tries") or 0) >= MAX_CONTACT_TRIES
        if unreadable and not tracker.get_slot("callback_contact"):
            dispatcher.utter_message(response="utter_callback_contact_unreadable", **values)
        else:
            dispatcher.utter_message(response="utter_callback_declined", **values)
        return _forget_callback()


def _forget_callback() -> list[EventType]:
    return [
        SlotSet(slot, None)
        for slot in (
            "callback_name",
            "callback_contact",
            "callback_consent",
            "callback_contact_tries",
        )
    ]
