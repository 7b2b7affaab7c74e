"""The parts of a Rasa tracker that the driver and the metrics read."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TrackerState:
    """Slots of interest after one bot turn."""

    requested_slot: str | None = None
    triage_result: str | None = None
    active_loop: str | None = None
    red_flags: tuple[str, ...] = ()
    duration_days: float | None = None
    slots: Mapping[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """A triage result is set and no form is running."""
        return self.triage_result is not None and self.active_loop is None

    def describe(self) -> str:
        """One line for transcripts."""
        flags = ",".join(self.red_flags)
        return (
            f"asking={self.requested_slot or '-'} result={self.triage_result or '-'} "
            f"loop={self.active_loop or '-'} red_flags=[{flags}] days={_days(self.duration_days)}"
        )


def read_state(tracker: Mapping[str, Any]) -> TrackerState:
    """Build a TrackerState from a tracker JSON; tolerant of missing or odd values."""
    slots = tracker.get("slots")
    slots = slots if isinstance(slots, Mapping) else {}
    loop = tracker.get("active_loop")
    loop_name = loop.get("name") if isinstance(loop, Mapping) else None
    return TrackerState(
        requested_slot=_text(slots.get("requested_slot")),
        triage_result=_text(slots.get("triage_result")),
        active_loop=_text(loop_name),
        red_flags=_flags(slots.get("red_flags")),
        duration_days=_number(slots.get("pain_duration_days")),
        slots=dict(slots),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _flags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
