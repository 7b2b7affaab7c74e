"""A reviewed conversation as an evaluation visitor (the format of tests/eval/visitors.yml).

Pure. The visitor's first typed message is the ``opener``; a message typed while the
triage form waited for one of its slots is the ``answers`` entry of that slot (the
first one: the one the bot should now understand); other messages typed while the bot
asked nothing are ``followups``. ``expected`` is the category staff gave; an emergency
names the red flag staff marked present (or, failing that, the one the bot recorded)
and the message that carried it. Every text is scrubbed; a conversation with a message
that still looks personal, or that the schema refuses, is held back with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.evaluation.visitors import ASKED_SLOTS, RED_FLAG_IDS, VisitorFileError, parse_visitors
from bot.store.labels import ConversationLabel, MessageLabel
from bot.store.turns import FREE_TEXT_SLOTS, Turn

from .scrub import scrub, still_personal

BUTTON_WORDS = {"/affirm": "yes", "/deny": "no"}


@dataclass
class Built:
    visitor: dict[str, Any] | None = None
    held: list[str] = field(default_factory=list)


def visitor_id(sender_id: str) -> str:
    """A stable id that does not give the conversation's id away."""
    return "reviewed-" + hashlib.sha256(sender_id.encode()).hexdigest()[:12]


def _said(turn: Turn, label: MessageLabel | None) -> str | None:
    if label and label.text:
        return label.text
    if turn.is_payload:
        return BUTTON_WORDS.get((turn.text or "").split("{")[0])
    return turn.text


def _where(turn: Turn, index: int) -> str | None:
    """Where a message sits in the visitor file: opener, an asked slot, or followup."""
    if index == 0:
        return "opener"
    if turn.awaited_slot in ASKED_SLOTS:
        return turn.awaited_slot
    if turn.awaited_slot is None:
        return "followup"
    return None


def _red_flag(
    placed: Sequence[tuple[Turn, str, str]],
    by_event: Mapping[int, MessageLabel],
    recorded: Sequence[str],
) -> dict[str, str] | None:
    """{id, said_in} from staff's facts, else the flag the bot recorded, with its message."""
    for turn, where, _ in placed:
        label = by_event.get(turn.event_id)
        for fact in label.facts if label else []:
            if fact.fact == "red_flag" and fact.assertion == "present":
                return {"id": fact.value, "said_in": where}
    for flag in recorded:
        if flag not in RED_FLAG_IDS:
            continue
        for turn, where, _ in placed:
            if any(name == "red_flags" and flag in (value or []) for name, value in turn.slots):
                return {"id": flag, "said_in": where}
    return None


def _days(placed: Sequence[tuple[Turn, str, str]], by_event: Mapping[int, MessageLabel]):
    for turn, _, _ in placed:
        label = by_event.get(turn.event_id)
        for fact in label.facts if label else []:
            if fact.fact == "duration_days" and fact.assertion == "present":
                return fact.value
    return None


def build(
    sender_id: str,
    turns: Sequence[Turn],
    conversation: ConversationLabel,
    by_event: Mapping[int, MessageLabel],
    recorded_flags: Sequence[str] = (),
) -> Built:
    """The evaluation visitor of one reviewed conversation, or why it is held back."""
    out = Built()
    visitor = [t for t in turns if t.is_visitor and t.awaited_slot not in FREE_TEXT_SLOTS]
    placed: list[tuple[Turn, str, str]] = []
    for turn in visitor:
        said = _said(turn, by_event.get(turn.event_id))
        if not said or not said.strip():
            continue
        where = _where(turn, len(placed))
        if where is None:
            continue
        text = " ".join(scrub(said).text.split())
        left = still_personal(text)
        if left:
            out.held.append(f"message {turn.event_id}: {', '.join(left)}")
        placed.append((turn, where, text))
    if not placed:
        out.held.append("no typed visitor message")
    if out.held:
        return out
    answers: dict[str, str] = {}
    followups: list[str] = []
    for _, where, text in placed[1:]:
        if where == "followup":
            followups.append(text)
        else:
            answers.setdefault(where, text)
    when = datetime.fromtimestamp(conversation.updated_at, timezone.utc).date().isoformat()
    visitor_data: dict[str, Any] = {
        "id": visitor_id(sender_id),
        "opener": placed[0][2],
        "answers": answers,
        "followups": followups,
        "expected": conversation.category,
        "note": f"staff review by {conversation.updated_by} on {when}",
        "tags": ["reviewed"],
    }
    days = _days(placed, by_event)
    if days is not None:
        visitor_data["expected_days"] = days
    if conversation.category == "emergency":
        flag = _red_flag(placed, by_event, recorded_flags)
        if flag is None:
            out.held.append("an emergency without a red flag marked present")
            return out
        if flag["said_in"] == "followup" and not followups:
            flag["said_in"] = "opener"
        visitor_data["red_flag"] = flag
    try:
        parse_visitors({"visitors": [visitor_data]}, source="reviewed")
    except VisitorFileError as problem:
        out.held.append(str(problem))
        return out
    out.visitor = visitor_data
    return out
