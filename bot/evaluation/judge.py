"""Judge one played conversation against its visitor's expectations (no I/O)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .driver import Conversation, Turn
from .script import carries
from .visitors import SCREEN_SLOTS, Visitor


@dataclass(frozen=True)
class Outcome:
    """What the metrics need from one conversation.

    ``flag_turn`` is the first visitor turn known to carry a red flag: the turn after
    which the bot showed one (red_flags slot or result emergency), or the turn that sent
    the visitor's scripted red-flag message, whichever came first. ``booking_turn`` is
    the first turn from ``flag_turn`` on whose replies contained the booking link.
    ``own_words`` is None unless the visitor is an emergency who told their red flag
    outside the safety questions; then it says whether the bot first saw a flag on a
    message that was not an answer to a generic safety question (a "yes" to a targeted
    question that quoted them counts as their own words).
    """

    visitor_id: str
    expected: str
    predicted: str | None
    expected_days: float | None = None
    predicted_days: float | None = None
    flag_turn: int | None = None
    booking_turn: int | None = None
    stop_reason: str = "result"
    error: str | None = None
    sender: str = ""
    red_flags: tuple[str, ...] = ()
    transcript: tuple[str, ...] = ()
    own_words: bool | None = None

    @property
    def correct(self) -> bool:
        return self.predicted == self.expected

    @property
    def booking_after_flag(self) -> bool:
        return self.booking_turn is not None

    @property
    def failed(self) -> bool:
        missed_own_words = self.own_words is False
        return (
            not self.correct
            or self.booking_after_flag
            or self.error is not None
            or missed_own_words
        )


def judge(visitor: Visitor, conversation: Conversation, booking_link: str) -> Outcome:
    """Build the Outcome of one conversation."""
    final = conversation.final
    flag_turn = _flag_turn(visitor, conversation.turns)
    booking_turn = None
    if flag_turn is not None:
        booking_turn = next(
            (
                turn.number
                for turn in conversation.turns[flag_turn - 1 :]
                if any(contains_link(reply, booking_link) for reply in turn.replies)
            ),
            None,
        )
    return Outcome(
        visitor_id=visitor.id,
        expected=visitor.expected,
        predicted=predicted_category(conversation),
        expected_days=visitor.expected_days,
        predicted_days=final.duration_days,
        flag_turn=flag_turn,
        booking_turn=booking_turn,
        stop_reason=conversation.stop_reason,
        error=conversation.error,
        sender=conversation.sender,
        red_flags=final.red_flags,
        transcript=transcript(conversation),
        own_words=_caught_in_own_words(visitor, conversation.turns),
    )


def _caught_in_own_words(visitor: Visitor, turns: list[Turn]) -> bool | None:
    if visitor.expected != "emergency" or visitor.red_flag is None:
        return None
    if visitor.red_flag.where == "screen":
        return None
    for turn in turns:
        if turn.state.red_flags or turn.state.triage_result == "emergency":
            return not _answers_a_safety_question(turn.source)
    return False


def _answers_a_safety_question(source: str) -> bool:
    slot = source.split(":", 1)[1] if ":" in source else ""
    return source.startswith(("answer:", "not_sure:")) and slot in SCREEN_SLOTS


def predicted_category(conversation: Conversation) -> str | None:
    """The triage result; or out_of_scope when the bot answered a visitor who never
    described pain and gave no triage result (clinical.md section 1: "no symptom at all
    (prices, hours): answer or redirect, no triage result about the back")."""
    final = conversation.final
    if final.triage_result is not None:
        return final.triage_result
    answered = conversation.stop_reason == "stalled" and any(t.replies for t in conversation.turns)
    if answered and not final.red_flags and final.slots.get("pain_location") is None:
        return "out_of_scope"
    return None


def contains_link(message: Any, link: str) -> bool:
    """True when any field of a bot message (text, buttons, attachments) has the link.

    Matching ignores the scheme, a leading "www." and letter case.
    """
    needle = _bare(link)
    if not needle:
        return False
    return needle in json.dumps(message, ensure_ascii=False).lower()


def transcript(conversation: Conversation) -> tuple[str, ...]:
    """Readable lines: visitor messages, bot messages with buttons, state after each turn."""
    lines = [f"conversation {conversation.sender} ({conversation.stop_reason})"]
    for turn in conversation.turns:
        lines.append(f"{turn.number:>2} visitor [{turn.source}]: {turn.text}")
        for reply in turn.replies:
            text = reply.get("text")
            if text:
                lines.append(f"   bot: {text}")
            buttons = reply.get("buttons") or []
            if isinstance(buttons, list) and buttons:
                titles = ", ".join(
                    f"{b.get('title')} -> {b.get('payload')}"
                    for b in buttons
                    if isinstance(b, dict)
                )
                lines.append(f"   bot buttons: {titles}")
            other = sorted(set(reply) - {"recipient_id", "text", "buttons"})
            if other:
                lines.append(f"   bot also sent: {', '.join(other)}")
        if not turn.replies:
            lines.append("   bot: (no reply)")
        lines.append(f"   state: {turn.state.describe()}")
    if conversation.error:
        lines.append(f"error: {conversation.error}")
    return tuple(lines)


def _flag_turn(visitor: Visitor, turns: list[Turn]) -> int | None:
    candidates = []
    detected = next(
        (t.number for t in turns if t.state.red_flags or t.state.triage_result == "emergency"),
        None,
    )
    if detected is not None:
        candidates.append(detected)
    if visitor.red_flag is not None:
        scripted = next(
            (t.number for t in turns if carries(t.source, visitor.red_flag.said_in)), None
        )
        if scripted is not None:
            candidates.append(scripted)
    return min(candidates) if candidates else None


def _bare(link: str) -> str:
    text = link.strip().lower()
    for prefix in ("https://", "http://", "www."):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.rstrip("/")
