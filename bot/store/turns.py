"""Split one visitor's events into turns: what the visitor said and what followed.

Pure: no database. A turn is flagged *low confidence* when the intent's confidence is
under the threshold (or NLU fell back) while the bot was not waiting for free text such
as a name, and *fallback* when the bot answered with a fallback action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .events import Event

FALLBACK_ACTIONS = frozenset(
    {
        "action_handle_fallback",
        "action_default_fallback",
        "action_two_stage_fallback",
        "action_default_ask_affirmation",
    }
)
# Slots filled from whatever the visitor types: an unrecognised intent there is expected.
FREE_TEXT_SLOTS = frozenset({"callback_name", "callback_contact"})
HIDDEN_ACTIONS = frozenset({"action_listen"})
NLU_FALLBACK = "nlu_fallback"
SESSION_START = "action_session_start"


@dataclass
class Turn:
    """One visitor message (None for what the bot did before the first one)."""

    index: int
    at: float
    event_id: int | None = None
    text: str | None = None
    intent: str | None = None
    confidence: float | None = None
    entities: list[dict] = field(default_factory=list)
    channel: str | None = None
    awaited_slot: str | None = None
    slots: list[tuple[str, Any]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    bot: list[dict] = field(default_factory=list)
    session_started: bool = False
    low_confidence: bool = False

    @property
    def is_visitor(self) -> bool:
        return self.event_id is not None

    @property
    def fallback(self) -> bool:
        return any(action in FALLBACK_ACTIONS for action in self.actions)

    @property
    def is_payload(self) -> bool:
        """A button press (``/intent{...}``) rather than typed words."""
        return bool(self.text) and self.text.startswith("/")


def _user_turn(event: Event, index: int, awaited: str | None, threshold: float) -> Turn:
    parse = event.data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = intent.get("name") or event.intent_name
    confidence = intent.get("confidence")
    confidence = float(confidence) if isinstance(confidence, (int, float)) else None
    free_text = awaited in FREE_TEXT_SLOTS
    unsure = name == NLU_FALLBACK or (confidence is not None and confidence < threshold)
    entities = [e for e in parse.get("entities") or [] if isinstance(e, dict)]
    return Turn(
        index=index,
        at=event.timestamp,
        event_id=event.id,
        text=event.data.get("text") if isinstance(event.data.get("text"), str) else None,
        intent=name,
        confidence=confidence,
        entities=entities,
        channel=event.data.get("input_channel"),
        awaited_slot=awaited,
        low_confidence=unsure and not free_text,
    )


def split_turns(events: Sequence[Event], threshold: float = 0.6) -> list[Turn]:
    """Turns in order; the first has no visitor message when the bot spoke first."""
    turns: list[Turn] = []
    current: Turn | None = None
    awaited: str | None = None
    for event in events:
        kind = event.type_name
        if kind == "user":
            current = _user_turn(event, len(turns), awaited, threshold)
            turns.append(current)
            continue
        if kind == "action" and (event.data.get("name") or event.action_name) == SESSION_START:
            current = Turn(index=len(turns), at=event.timestamp, session_started=True)
            turns.append(current)
            awaited = None
            continue
        if current is None:
            current = Turn(index=0, at=event.timestamp)
            turns.append(current)
        if kind == "slot":
            name, value = event.data.get("name"), event.data.get("value")
            if name == "requested_slot":
                awaited = value
            elif name and (name, value) not in current.slots:  # forms set slots twice
                current.slots.append((name, value))
        elif kind == "action":
            name = event.data.get("name") or event.action_name
            if name and name not in HIDDEN_ACTIONS:
                current.actions.append(name)
        elif kind == "bot":
            meta = event.data.get("metadata") or {}
            current.bot.append(
                {"text": event.data.get("text") or "", "response": meta.get("utter_action")}
            )
        elif kind == "active_loop" and not event.data.get("name"):
            awaited = None
    return turns
