"""Form validation: which triage question comes next; call-back details."""

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.responses import QUESTION_PREFIX, response_for
from actions.settings import clinic
from bot.dialogue.questions import questions_to_ask

EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}\.[a-z]{2,}$", re.I)
PHONE_DIGITS = re.compile(r"\d")
PHONE_ALLOWED = re.compile(r"^[\d\s()+.\-]{7,25}$")
MAX_NAME_LENGTH = 100
#: The intent confidence above which a message in the call-back form is a question.
CLEAR_QUESTION = 0.8
#: After this many unreadable contacts the call-back form stops and gives the phone.
MAX_CONTACT_TRIES = 2
#: A visitor who wants out of the call-back form ("stop", "never mind").
CANCEL = re.compile(
    r"^\W*(stop|cancel|quit|exit|never ?mind|nevermind|forget it|no thanks?|don'?t bother|bye"
    r"|goodbye"
    r"|i don'?t want (a |to be )?call(ed|-?back)?)\b",
    re.I,
)


class ValidateTriageForm(FormValidationAction):
    """Asks only what is still unknown; stops at once on a red flag."""

    def name(self) -> str:
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return questions_to_ask(tracker.slots)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Keeps this turn's facts for the questions still open, as they were set.

        ``action_extract_facts`` has already checked them. The parent would do the same
        but log "Skipping validation ... no validation method" for each fact, every turn.
        """
        still_open = await self.required_slots(
            self.domain_slots(domain), dispatcher, tracker, domain
        )
        return [
            SlotSet(name, value)
            for name, value in tracker.slots_to_validate().items()
            if name in still_open
        ]


def valid_contact(text: str) -> str | None:
    """A phone number (7-15 digits) or an email address, else None."""
    text = (text or "").strip()
    if EMAIL.match(text):
        return text
    if PHONE_ALLOWED.match(text) and 7 <= len(PHONE_DIGITS.findall(text)) <= 15:
        return text
    return None


class ValidateCallbackForm(FormValidationAction):
    """Name, phone or email, and consent.

    Nothing is asked after a red flag (the form stops and the rules assess it), after a
    second unreadable contact, or when the visitor says stop.
    """

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if callback_must_stop(tracker):
            return []
        return domain_slots

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("red_flags") or answered_instead(tracker, dispatcher):
            return {"callback_name": None}
        if CANCEL.match(str(value or "")):
            return {"callback_name": None, "callback_consent": False}
        name = " ".join(str(value or "").split())[:MAX_NAME_LENGTH]
        return {"callback_name": name or None}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("red_flags") or answered_instead(tracker, dispatcher):
            return {"callback_contact": None}
        if CANCEL.match(str(value or "")):
            return {"callback_contact": None, "callback_consent": False}
        contact = valid_contact(str(value or ""))
        if contact is not None:
            return {"callback_contact": contact}
        tries = int(tracker.get_slot("callback_contact_tries") or 0) + 1
        if tries < MAX_CONTACT_TRIES:
            dispatcher.utter_message(response="utter_invalid_contact")
        return {"callback_contact": None, "callback_contact_tries": float(tries)}


def answered_instead(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """A clear question instead of a name or contact ("what are your hours?"): answer it,
    and the form asks its question again. An unsure intent is taken as the answer."""
    intent = tracker.latest_message.get("intent") or {}
    name, confidence = intent.get("name") or "", intent.get("confidence") or 0.0
    asked = name.startswith(QUESTION_PREFIX) or name in ("ask_question", "bot_challenge")
    if confidence < CLEAR_QUESTION or not (asked or name == "request_human"):
        return False
    response = "utter_handoff" if name == "request_human" else response_for(name)
    dispatcher.utter_message(response=response, **clinic().template_values())
    return True


def callback_must_stop(tracker: Tracker) -> bool:
    """A red flag, a declined or cancelled request, or a contact unreadable twice."""
    return bool(
        tracker.get_slot("triage_result") == "emergency"
        or tracker.get_slot("red_flags")
        or tracker.get_slot("callback_consent") is False
        or (tracker.get_slot("callback_contact_tries") or 0) >= MAX_CONTACT_TRIES
    )
