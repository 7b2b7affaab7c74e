"""Fill the triage slots from every visitor message (the slots' custom mapping)."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.understanding import slot_updates


class ActionExtractFacts(Action):
    """Runs after each visitor message, inside or outside the triage form."""

    def name(self) -> str:
        return "action_extract_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        loop = tracker.active_loop.get("name") if tracker.active_loop else None
        requested = tracker.get_slot("requested_slot") if loop == "triage_form" else None
        updates = slot_updates(tracker.latest_message, tracker.current_slot_values(), requested)
        if loop == "callback_form":  # a name or phone number is not a symptom
            updates = {k: v for k, v in updates.items() if k == "red_flags"}
        return [SlotSet(slot, value) for slot, value in updates.items()]
