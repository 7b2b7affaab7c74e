"""A conversation as staff read it: turns, final slots and the assessment with reasons.

Pure. The reasons shown are the ones the bot gave the visitor (kept in the bot
messages' metadata); the assessment is also recomputed from the final slots with
bot.triage, so staff can see when today's rules would answer differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.triage import RED_FLAGS, Assessment, Facts, Thresholds, assess

from .events import Event
from .turns import Turn, split_turns


@dataclass
class Verdict:
    """The final assessment: what the bot recorded and what the rules give today."""

    result: str | None
    urgency: str | None
    red_flags: list[str]
    reasons_given: list[str]
    recomputed: Assessment | None
    needs_review: bool
    callback_requested: bool

    @property
    def red_flag_labels(self) -> list[str]:
        return [RED_FLAGS[f].label if f in RED_FLAGS else f for f in self.red_flags]

    @property
    def agrees(self) -> bool:
        return self.recomputed is None or self.result in (None, self.recomputed.category)


@dataclass
class Transcript:
    sender_id: str
    turns: list[Turn]
    slots: dict[str, Any]
    verdict: Verdict
    events: int = 0
    started_at: float = 0.0
    channels: list[str] = field(default_factory=list)


def final_slots(events: Sequence[Event]) -> dict[str, Any]:
    """Each slot's last value (requested_slot left out)."""
    slots: dict[str, Any] = {}
    for event in events:
        if event.type_name == "slot" and event.data.get("name") not in (None, "requested_slot"):
            slots[event.data["name"]] = event.data.get("value")
    return slots


def _reasons_given(events: Sequence[Event]) -> list[str]:
    reasons: list[str] = []
    for event in events:
        if event.type_name != "bot":
            continue
        meta = event.data.get("metadata") or {}
        if isinstance(meta.get("reasons"), str) and meta["reasons"].strip():
            reasons.append(meta["reasons"].strip())
        if isinstance(meta.get("red_flag_labels"), str) and meta["red_flag_labels"].strip():
            reasons.append(f"Red flags: {meta['red_flag_labels'].strip()}.")
    return reasons


def _recompute(slots: dict[str, Any], thresholds: Thresholds | None) -> Assessment | None:
    try:
        facts = Facts.from_slots(slots)
        return assess(facts, thresholds) if thresholds else assess(facts)
    except (ValueError, TypeError):
        return None


def build(
    events: Sequence[Event], low_confidence: float = 0.6, thresholds: Thresholds | None = None
) -> Transcript | None:
    """The transcript of one sender's events (None when there are none)."""
    if not events:
        return None
    slots = final_slots(events)
    flags = slots.get("red_flags") if isinstance(slots.get("red_flags"), list) else []
    verdict = Verdict(
        result=slots.get("triage_result"),
        urgency=slots.get("triage_urgency"),
        red_flags=[str(f) for f in flags],
        reasons_given=_reasons_given(events),
        recomputed=_recompute(slots, thresholds) if slots.get("triage_result") else None,
        needs_review=slots.get("needs_staff_review") is True,
        callback_requested=slots.get("callback_requested") is True,
    )
    turns = split_turns(events, low_confidence)
    channels = sorted({t.channel for t in turns if t.channel})
    return Transcript(
        sender_id=events[0].sender_id,
        turns=turns,
        slots=slots,
        verdict=verdict,
        events=len(events),
        started_at=min(e.timestamp for e in events),
        channels=channels,
    )
