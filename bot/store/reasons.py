"""Why a conversation is worth a staff member's look, and how urgently (the review queue).

Pure. ``review_reasons`` reads one visitor's turns and events; each reason has a weight,
and the queue ranks conversations by the sum (``score``), newest first among equals.
The reasons are stored on the read model's row as comma-joined codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .events import Event
from .turns import FREE_TEXT_SLOTS, Turn


@dataclass(frozen=True)
class Reason:
    code: str
    weight: int
    label: str


REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason("red_flag", 50, "a red flag was raised"),
        Reason("red_flag_asked", 40, "a red flag was asked about or mentioned"),
        Reason("callback", 30, "asked for a call-back"),
        Reason("flagged", 25, "the bot flagged it for staff"),
        Reason("fallback", 20, "the bot did not understand (fallback)"),
        Reason("asked_twice", 15, "a question was asked twice: the answer was not understood"),
        Reason("left_mid_form", 10, "left in the middle of the questions"),
        Reason("low_confidence", 10, "low intent confidence"),
    )
}
RED_FLAG_INTENT = "red_flag"
RED_FLAG_ENTITY = "red_flag"


def score(codes: Sequence[str]) -> int:
    return sum(REASONS[c].weight for c in codes if c in REASONS)


def labels(joined: str | None) -> list[str]:
    """The human labels of stored codes, highest weight first."""
    codes = [c for c in (joined or "").split(",") if c in REASONS]
    return [REASONS[c].label for c in sorted(codes, key=lambda c: -REASONS[c].weight)]


def asked_twice(visitor: Sequence[Turn]) -> str | None:
    """The form slot the bot asked again right after the visitor answered it."""
    for before, after in zip(visitor, visitor[1:], strict=False):
        slot = before.awaited_slot
        if slot and slot not in FREE_TEXT_SLOTS and after.awaited_slot == slot:
            return slot
    return None


def mentioned_red_flag(visitor: Sequence[Turn]) -> bool:
    """A visitor message named a red flag (asked about it, or denied it)."""
    for turn in visitor:
        if turn.intent == RED_FLAG_INTENT:
            return True
        if any(e.get("entity") == RED_FLAG_ENTITY for e in turn.entities):
            return True
    return False


def form_left_open(events: Sequence[Event]) -> bool:
    """The last loop event started a form that never finished."""
    active: str | None = None
    for event in events:
        if event.type_name == "active_loop":
            active = event.data.get("name") or None
    return active is not None


def review_reasons(
    turns: Sequence[Turn],
    events: Sequence[Event],
    *,
    red_flag: bool,
    callback: bool,
    needs_review: bool,
    result: str | None,
) -> tuple[int, list[str]]:
    """(score, reason codes) of one conversation; (0, []) when nothing calls for a look."""
    visitor = [t for t in turns if t.is_visitor]
    codes: list[str] = []
    if red_flag:
        codes.append("red_flag")
    elif mentioned_red_flag(visitor):
        codes.append("red_flag_asked")
    if callback:
        codes.append("callback")
    if needs_review:
        codes.append("flagged")
    if any(t.fallback for t in visitor):
        codes.append("fallback")
    if asked_twice(visitor):
        codes.append("asked_twice")
    if result is None and form_left_open(events):
        codes.append("left_mid_form")
    if any(t.low_confidence and not t.fallback for t in visitor):
        codes.append("low_confidence")
    return score(codes), codes
