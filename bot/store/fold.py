"""Fold one visitor's events into the read model: a summary row, fallback turns, call-backs.

Pure and deterministic: the same events always give the same rows, so refreshing a
visitor twice is harmless (bot.store.summary recomputes every visitor it touches).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .events import Event
from .reasons import review_reasons
from .turns import split_turns

SEARCH_TEXT_LIMIT = 4000
BOOKING_RESPONSES = frozenset({"utter_offer_booking"})
EMERGENCY = "emergency"


@dataclass
class Folded:
    """Rows for staff_summary, staff_search, staff_fallback_turns and (new) staff_callbacks."""

    summary: dict[str, Any]
    search_text: str = ""
    fallback_turns: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    state: Any = None  # the FoldState to store (bot.store.fold_state), when folded by one
    fallback_ids: list[int] | None = None  # the fallback rows replaced; None: all of them


def _flags(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return []


def fold(events: Sequence[Event], low_confidence: float = 0.6) -> Folded | None:
    """The read-model rows of one sender's events (None when there are none)."""
    if not events:
        return None
    sender = events[0].sender_id
    turns = split_turns(events, low_confidence)
    visitor = [t for t in turns if t.is_visitor]
    result: str | None = None
    urgency: str | None = None
    flags: list[str] = []
    needs_review = callback = booking = False
    contact: dict[str, Any] = {}
    callbacks: list[dict[str, Any]] = []
    for event in events:
        if event.type_name == "bot":
            response = (event.data.get("metadata") or {}).get("utter_action")
            booking = booking or response in BOOKING_RESPONSES
        if event.type_name != "slot":
            continue
        name, value = event.data.get("name"), event.data.get("value")
        if name == "triage_result" and value:
            result = str(value)
        elif name == "triage_urgency" and value:
            urgency = str(value)
        elif name == "red_flags":
            flags.extend(f for f in _flags(value) if f not in flags)
        elif name == "needs_staff_review" and value is True:
            needs_review = True
        elif name in ("callback_name", "callback_contact"):
            contact[name] = value
        elif name == "callback_requested" and value is True:
            callback = True
            callbacks.append(
                {
                    "sender_id": sender,
                    "event_id": event.id,
                    "requested_at": event.timestamp,
                    "name": contact.get("callback_name"),
                    "contact": contact.get("callback_contact"),
                }
            )
    typed = [t.text for t in visitor if t.text and not t.is_payload]
    red_flag = bool(flags) or result == EMERGENCY
    review_score, reasons = review_reasons(
        turns, events, red_flag=red_flag, callback=callback, needs_review=needs_review,
        result=result,
    )  # fmt: skip
    summary = {
        "sender_id": sender,
        "started_at": min(e.timestamp for e in events),
        "last_at": max(e.timestamp for e in events),
        "channel": next((t.channel for t in visitor if t.channel), None),
        "turns": len(visitor),
        "fallbacks": sum(1 for t in visitor if t.fallback),
        "low_confidence": sum(1 for t in visitor if t.low_confidence or t.fallback),
        "triage_result": result,
        "urgency": urgency,
        "red_flag": red_flag,
        "red_flags": ",".join(flags)[:255] or None,
        "needs_review": needs_review,
        "callback_requested": callback,
        "reached_booking": booking,
        "event_count": len(events),
        "last_event_id": max(e.id for e in events),
        "review_score": review_score,
        "review_reasons": ",".join(reasons) or None,
    }
    fallback_turns = [
        {"event_id": t.event_id, "sender_id": sender, "at": t.at, "text": t.text[:500]}
        for t in visitor
        if t.fallback and t.text and not t.is_payload
    ]
    return Folded(
        summary=summary,
        search_text="\n".join(typed).lower()[:SEARCH_TEXT_LIMIT],
        fallback_turns=fallback_turns,
        callbacks=callbacks,
    )
