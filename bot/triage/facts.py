"""Facts: what the visitor has told the bot so far."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .red_flags import RED_FLAGS
from .vocab import AGGRAVATORS, LOCATIONS, PATTERNS, RADIATIONS, SIDES

_CHOICES = {
    "location": LOCATIONS,
    "side": SIDES,
    "pattern": PATTERNS,
    "radiation": RADIATIONS,
}
_YES_NO = (
    "leg_numbness",
    "leg_weakness",
    "worse_sitting",
    "is_child",
    "is_pregnant",
    "kidney_stone_pattern",
)
_SETS = {"aggravators": AGGRAVATORS, "red_flags": tuple(RED_FLAGS)}


@dataclass(frozen=True)
class Facts:
    """Symptoms a visitor reported; None means not known yet or the visitor was unsure.

    Values are checked on construction (ValueError naming the field); set fields accept
    any iterable of strings. Use `from_slots` for lenient building from Rasa slots.
    """

    location: str | None = None
    side: str | None = None
    duration_days: float | None = None
    pattern: str | None = None
    radiation: str | None = None
    leg_numbness: bool | None = None
    leg_weakness: bool | None = None
    worse_sitting: bool | None = None
    aggravators: frozenset[str] = frozenset()
    red_flags: frozenset[str] = frozenset()
    is_child: bool | None = None
    is_pregnant: bool | None = None
    kidney_stone_pattern: bool | None = None
    unknown: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name, choices in _CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in choices:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")
        for name in _YES_NO:
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{name}: expected True, False or None, got {value!r}")
        self._check_duration()
        for name, choices in {**_SETS, "unknown": FACT_NAMES}.items():
            object.__setattr__(self, name, _checked_set(name, getattr(self, name), choices))

    def _check_duration(self) -> None:
        days = self.duration_days
        if days is None:
            return
        if isinstance(days, bool) or not isinstance(days, (int, float)):
            raise ValueError(f"duration_days: expected a number of days, got {days!r}")
        if not math.isfinite(days) or days < 0:
            raise ValueError(f"duration_days: expected 0 or more days, got {days!r}")
        object.__setattr__(self, "duration_days", float(days))

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Facts:
        """Build Facts from Rasa slot values, dropping anything that does not fit."""
        from .slots import facts_kwargs_from_slots

        return cls(**facts_kwargs_from_slots(slots))


def _checked_set(name: str, values: Iterable[str], choices: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise ValueError(f"{name}: expected a set of names, got the string {values!r}")
    result = frozenset(values)
    unexpected = sorted(str(value) for value in result - frozenset(choices))
    if unexpected:
        raise ValueError(f"{name}: unexpected {', '.join(unexpected)}")
    return result


# Names a visitor can be unsure about: every field except `unknown` itself.
FACT_NAMES = tuple(field.name for field in fields(Facts) if field.name != "unknown")
