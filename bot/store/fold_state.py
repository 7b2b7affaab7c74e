"""Fold a visitor's events a few at a time: what bot.store.fold computes, kept as a state.

``FoldState.feed`` takes the next events (in id order) and ``result`` gives the same
rows as ``fold()`` over every event fed so far, so a refresh reads only the events a
conversation received since the last one (bot.store.summary). The state is small and
bounded whatever the conversation's length: counts and flags, the search text (at most
``SEARCH_TEXT_LIMIT`` characters), the red flags until their joined text passes 255
characters, and the open visitor turn (the one later actions can still mark a fallback).
It is stored as JSON (``to_json``/``from_json``); a state of another version or threshold
is not used (the visitor is folded again from all their events).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .events import Event
from .fold import BOOKING_RESPONSES, EMERGENCY, SEARCH_TEXT_LIMIT, Folded, _flags
from .reasons import RED_FLAG_ENTITY, RED_FLAG_INTENT, score
from .turns import FALLBACK_ACTIONS, FREE_TEXT_SLOTS, HIDDEN_ACTIONS, SESSION_START, _user_turn

STATE_VERSION = 1
RED_FLAGS_LIMIT = 255
FALLBACK_TEXT_LIMIT = 500


@dataclass
class OpenTurn:
    """The last visitor turn: actions after it can still make it a fallback."""

    event_id: int
    at: float
    text: str | None  # the first FALLBACK_TEXT_LIMIT characters
    typed: bool
    low_confidence: bool
    fallback: bool = False


@dataclass
class FoldState:
    sender_id: str
    threshold: float
    version: int = STATE_VERSION
    events: int = 0
    last_event_id: int = 0
    started_at: float | None = None
    last_at: float | None = None
    # turns (bot.store.turns.split_turns)
    awaited: Any = None
    open: OpenTurn | None = None
    visitor_turns: int = 0  # closed visitor turns
    fallbacks: int = 0
    low_confidence: int = 0
    any_fallback: bool = False
    any_unsure: bool = False  # low confidence without a fallback
    mentioned_red_flag: bool = False
    asked_twice: bool = False
    has_visitor: bool = False
    previous_awaited: Any = None  # the awaited slot of the last visitor turn
    channel: str | None = None
    typed: bool = False
    search_text: str = ""
    # slots and responses (bot.store.fold)
    result: str | None = None
    urgency: str | None = None
    flags: list[str] = field(default_factory=list)
    flags_full: bool = False
    needs_review: bool = False
    callback: bool = False
    booking: bool = False
    contact: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None

    # --- persistence -------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, threshold: float) -> FoldState | None:
        """The stored state, or None when it cannot be used (version, threshold, damage)."""
        try:
            data = json.loads(text)
            if data.get("version") != STATE_VERSION or data.get("threshold") != threshold:
                return None
            opened = data.pop("open")
            state = cls(**data)
            state.open = OpenTurn(**opened) if opened else None
            return state
        except (TypeError, ValueError, AttributeError):
            return None

    # --- folding -----------------------------------------------------------------------

    def feed(
        self, events: Sequence[Event], callbacks: list[dict], fallback_rows: list[dict]
    ) -> None:
        """Fold these events (ids above ``last_event_id``, in order), adding the call-backs
        they requested and the fallback rows of the visitor turns they closed."""
        for event in events:
            self._count(event)
            self._turns(event, fallback_rows)
            self._slots(event, callbacks)

    def _count(self, event: Event) -> None:
        self.events += 1
        self.last_event_id = max(self.last_event_id, event.id)
        at = event.timestamp
        self.started_at = at if self.started_at is None else min(self.started_at, at)
        self.last_at = at if self.last_at is None else max(self.last_at, at)

    def _close(self, fallback_rows: list[dict]) -> None:
        turn = self.open
        if turn is None:
            return
        row = self.fallback_row()
        if row:
            fallback_rows.append(row)
        self.visitor_turns += 1
        self.fallbacks += turn.fallback
        self.low_confidence += turn.low_confidence or turn.fallback
        self.any_fallback = self.any_fallback or turn.fallback
        self.any_unsure = self.any_unsure or (turn.low_confidence and not turn.fallback)
        self.open = None

    def _visitor(self, event: Event, fallback_rows: list[dict]) -> None:
        self._close(fallback_rows)
        turn = _user_turn(event, 0, self.awaited, self.threshold)
        if self.has_visitor:
            slot = self.previous_awaited
            if slot and slot not in FREE_TEXT_SLOTS and turn.awaited_slot == slot:
                self.asked_twice = True
        self.has_visitor = True
        self.previous_awaited = turn.awaited_slot
        if self.channel is None and turn.channel:
            self.channel = turn.channel
        if turn.intent == RED_FLAG_INTENT or any(
            e.get("entity") == RED_FLAG_ENTITY for e in turn.entities
        ):
            self.mentioned_red_flag = True
        typed = bool(turn.text) and not turn.is_payload
        if typed:
            self._search(turn.text)
        text = turn.text[:FALLBACK_TEXT_LIMIT] if turn.text else turn.text
        self.open = OpenTurn(turn.event_id, turn.at, text, typed, turn.low_confidence)

    def _search(self, text: str) -> None:
        if not self.typed:
            self.typed = True
            self.search_text = text.lower()[:SEARCH_TEXT_LIMIT]
        elif len(self.search_text) < SEARCH_TEXT_LIMIT:
            joined = self.search_text + "\n" + text.lower()
            self.search_text = joined[:SEARCH_TEXT_LIMIT]

    def _turns(self, event: Event, fallback_rows: list[dict]) -> None:
        kind = event.type_name
        if kind == "user":
            self._visitor(event, fallback_rows)
            return
        name = event.data.get("name") or event.action_name
        if kind == "action" and name == SESSION_START:
            self._close(fallback_rows)
            self.awaited = None
            return
        if kind == "slot":
            if event.data.get("name") == "requested_slot":
                self.awaited = event.data.get("value")
        elif kind == "action":
            if self.open and name and name not in HIDDEN_ACTIONS and name in FALLBACK_ACTIONS:
                self.open.fallback = True
        elif kind == "active_loop" and not event.data.get("name"):
            self.awaited = None

    def _slots(self, event: Event, callbacks: list[dict[str, Any]]) -> None:
        if event.type_name == "active_loop":
            self.active_loop = event.data.get("name") or None
        if event.type_name == "bot":
            response = (event.data.get("metadata") or {}).get("utter_action")
            self.booking = self.booking or response in BOOKING_RESPONSES
        if event.type_name != "slot":
            return
        name, value = event.data.get("name"), event.data.get("value")
        if name == "triage_result" and value:
            self.result = str(value)
        elif name == "triage_urgency" and value:
            self.urgency = str(value)
        elif name == "red_flags":
            for flag in _flags(value):
                if not self.flags_full and flag not in self.flags:
                    self.flags.append(flag)
                    # ",".join(flags)[:255] no longer changes once it is this long
                    self.flags_full = len(",".join(self.flags)) >= RED_FLAGS_LIMIT
        elif name == "needs_staff_review" and value is True:
            self.needs_review = True
        elif name in ("callback_name", "callback_contact"):
            self.contact[name] = value
        elif name == "callback_requested" and value is True:
            self.callback = True
            callbacks.append(
                {
                    "sender_id": self.sender_id,
                    "event_id": event.id,
                    "requested_at": event.timestamp,
                    "name": self.contact.get("callback_name"),
                    "contact": self.contact.get("callback_contact"),
                }
            )

    # --- the rows ----------------------------------------------------------------------

    def fallback_row(self) -> dict[str, Any] | None:
        """The open turn's staff_fallback_turns row, when it is one."""
        turn = self.open
        if turn is None or not (turn.fallback and turn.typed):
            return None
        return {"event_id": turn.event_id, "sender_id": self.sender_id, "at": turn.at,
                "text": turn.text}  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """The staff_summary row (as bot.store.fold.fold gives it)."""
        turn = self.open
        turns = self.visitor_turns + (turn is not None)
        fallbacks = self.fallbacks + bool(turn and turn.fallback)
        unsure = self.low_confidence + bool(turn and (turn.low_confidence or turn.fallback))
        any_fallback = self.any_fallback or bool(turn and turn.fallback)
        any_unsure = self.any_unsure or bool(turn and turn.low_confidence and not turn.fallback)
        red_flag = bool(self.flags) or self.result == EMERGENCY
        codes: list[str] = []
        if red_flag:
            codes.append("red_flag")
        elif self.mentioned_red_flag:
            codes.append("red_flag_asked")
        if self.callback:
            codes.append("callback")
        if self.needs_review:
            codes.append("flagged")
        if any_fallback:
            codes.append("fallback")
        if self.asked_twice:
            codes.append("asked_twice")
        if self.result is None and self.active_loop is not None:
            codes.append("left_mid_form")
        if any_unsure:
            codes.append("low_confidence")
        return {
            "sender_id": self.sender_id,
            "started_at": self.started_at,
            "last_at": self.last_at,
            "channel": self.channel,
            "turns": turns,
            "fallbacks": fallbacks,
            "low_confidence": unsure,
            "triage_result": self.result,
            "urgency": self.urgency,
            "red_flag": red_flag,
            "red_flags": ",".join(self.flags)[:RED_FLAGS_LIMIT] or None,
            "needs_review": self.needs_review,
            "callback_requested": self.callback,
            "reached_booking": self.booking,
            "event_count": self.events,
            "last_event_id": self.last_event_id,
            "review_score": score(codes),
            "review_reasons": ",".join(codes) or None,
        }


def fold_onto(state: FoldState | None, events: Sequence[Event], threshold: float) -> Folded | None:
    """Fold ``events`` onto ``state`` (None: from nothing, ``events`` are all of them).

    The result's ``fallback_turns`` and ``callbacks`` are those the new events may have
    changed or added; ``fallback_ids`` names the turns whose rows they replace (None: all
    of the visitor's rows).
    """
    if state is None:
        if not events:
            return None
        state = FoldState(sender_id=events[0].sender_id, threshold=threshold)
        replaced: list[int] | None = None
    else:
        replaced = [state.open.event_id] if state.open else []
    fallback_rows: list[dict[str, Any]] = []
    callbacks: list[dict[str, Any]] = []
    state.feed(events, callbacks, fallback_rows)
    if replaced is not None:
        replaced.extend(event.id for event in events if event.type_name == "user")
    row = state.fallback_row()
    if row:
        fallback_rows.append(row)
    return Folded(
        summary=state.summary(),
        search_text=state.search_text,
        fallback_turns=fallback_rows,
        callbacks=callbacks,
        state=state,
        fallback_ids=replaced,
    )
