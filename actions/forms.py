"""Form validation: which triage question comes next; call-back details."""

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.dialogue.questions import questions_to_ask

EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}\.[a-z]{2,}$", re.I)
PHONE_DIGITS = re.compile(r"\d")
PHONE_ALLOWED = re.compile(r"^[\d\s()+.\-]{7,25}$")
MAX_NAME_LENGTH = 100


class ValidateTriageForm(FormValidationAction):
    """Asks only what is still unknown; stops at once on a red flag."""

    def name(self) -> str:
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        return questions_to_ask(tracker.slots)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
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


def valid_contact(text: str) -> Optional[str]:
    """A phone number (7-15 digits) or an email address, else None."""
    text = (text or "").strip()
    if EMAIL.match(text):
        return text
    if PHONE_ALLOWED.match(text) and 7 <= len(PHONE_DIGITS.findall(text)) <= 15:
        return text
    return None


class ValidateCallbackForm(FormValidationAction):
    """Name, phone or email, and consent; nothing is asked after a red flag."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        if tracker.get_slot("triage_result") == "emergency":
            return []
        return domain_slots

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        name = " ".join(str(value or "").split())[:MAX_NAME_LENGTH]
        return {"callback_name": name or None}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        contact = valid_contact(str(value or ""))
        if contact is None:
            dispatcher.utter_message(response="utter_invalid_contact")
        return {"callback_contact": contact}
