"""What the transcript page needs to show and edit staff corrections."""

from __future__ import annotations

from typing import Any

from bot.review import facts as vocabulary
from bot.review.scrub import scrub, still_personal
from bot.store import labels
from bot.store.transcript import Transcript
from bot.store.turns import FREE_TEXT_SLOTS, Turn
from bot.triage import RED_FLAGS

from ..context import StaffContext


def correctable(turn: Turn) -> bool:
    """Typed visitor words, not a button press nor a name or number for a call-back."""
    return (
        turn.is_visitor
        and bool(turn.text)
        and not turn.is_payload
        and turn.awaited_slot not in FREE_TEXT_SLOTS
    )


def form_state(label: labels.MessageLabel | None) -> dict[str, Any]:
    """A correction's facts as the form's fields hold them."""
    state: dict[str, Any] = {"red_flag_present": set(), "red_flag_denied": set()}
    for fact in label.facts if label else []:
        if fact.fact == "red_flag":
            state[f"red_flag_{fact.assertion}"].add(fact.value)
        elif fact.fact in vocabulary.YES_NO_FACTS:
            state[fact.fact] = fact.assertion
        else:
            state[fact.fact] = f"{fact.value:g}" if fact.fact == "duration_days" else fact.value
    return state


def context(ctx: StaffContext, t: Transcript) -> dict[str, Any]:
    """What the transcript page needs to show and edit corrections."""
    by_event = labels.message_labels_of(ctx.store, t.sender_id)
    previews: dict[int, dict[str, Any]] = {}
    states: dict[int, dict[str, Any]] = {}
    for turn in t.turns:
        if correctable(turn):
            label = by_event.get(turn.event_id)
            done = scrub(label.text if label and label.text else turn.text)
            previews[turn.event_id] = {"text": done.text, "held": still_personal(done.text)}
            states[turn.event_id] = form_state(label)
    return {
        "message_labels": by_event,
        "conversation_label": labels.conversation_label_of(ctx.store, t.sender_id),
        "exported": previews,
        "fact_state": states,
        "intents": vocabulary.domain_intents(),
        "categories": vocabulary.CATEGORIES,
        "value_facts": vocabulary.VALUE_FACTS,
        "yes_no_facts": vocabulary.YES_NO_FACTS,
        "red_flag_choices": [
            (f, f.replace("_", " "), RED_FLAGS[f].label) for f in vocabulary.RED_FLAG_IDS
        ],
        "correctable": correctable,
    }
