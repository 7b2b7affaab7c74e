"""Lenient conversion of Rasa slot values into Facts keyword arguments."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from .red_flags import RED_FLAGS
from .vocab import AGGRAVATORS, LOCATIONS, PATTERNS, RADIATIONS, SIDES

logger = logging.getLogger(__name__)

# Slot name -> Facts field name.
SLOT_TO_FIELD = {
    "pain_location": "location",
    "pain_side": "side",
    "pain_duration_days": "duration_days",
    "pain_pattern": "pattern",
    "radiation": "radiation",
    "leg_numbness": "leg_numbness",
    "leg_weakness": "leg_weakness",
    "worse_sitting": "worse_sitting",
    "aggravators": "aggravators",
    "red_flags": "red_flags",
    "visitor_is_child": "is_child",
    "visitor_is_pregnant": "is_pregnant",
    "kidney_stone_pattern": "kidney_stone_pattern",
}

# The safety questions: one left without a clear answer leaves the red flags unknown.
SCREEN_SLOTS = ("screen_cauda", "screen_serious", "screen_injury_night")

# A slot holding one of these means "the visitor doesn't know".
_DONT_KNOW = frozenset({"unknown", "unsure", "not_sure", "dont_know", "don't_know", "idk"})

_ALIASES = {
    "location": {
        "lower_back": "low_back",
        "back": "low_back",
        "lumbar": "low_back",
        "buttocks": "buttock",
        "bum": "buttock",
        "glute": "buttock",
        "legs": "leg",
        "belly": "abdomen",
        "stomach": "abdomen",
        "headache": "head",
    },
    "side": {"bilateral": "both", "middle": "central", "centre": "central", "center": "central"},
    "pattern": {
        "on_and_off": "recurrent",
        "on_off": "recurrent",
        "intermittent": "recurrent",
        "comes_and_goes": "recurrent",
        "continuous": "constant",
        "all_the_time": "constant",
    },
    "radiation": {"no": "none", "knee": "thigh", "calf": "below_knee", "feet": "foot"},
}
_CHOICES = {"location": LOCATIONS, "side": SIDES, "pattern": PATTERNS, "radiation": RADIATIONS}
_YES = frozenset({"true", "yes", "y"})
_NO = frozenset({"false", "no", "n"})


def facts_kwargs_from_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for Facts; never raises for any mapping of slot values."""
    kwargs: dict[str, Any] = {}
    unknown = set(_names_from_slot(slots.get("unknown_facts")))
    unknown |= set(_names_from_slot(slots.get("skipped_facts")))
    for slot, field in SLOT_TO_FIELD.items():
        raw = slots.get(slot)
        if _is_dont_know(raw):
            unknown.add(field)
            continue
        value = _convert(field, raw)
        if value is not None:
            kwargs[field] = value
    kwargs["unknown"] = frozenset(unknown)
    return kwargs


def _convert(field: str, raw: Any) -> Any:
    if field in _CHOICES:
        return _choice(field, raw)
    if field == "duration_days":
        return _days(raw)
    if field == "aggravators":
        return _known_names(field, raw, AGGRAVATORS)
    if field == "red_flags":
        return _known_names(field, raw, RED_FLAGS)
    return _yes_no(raw)


def _normalise(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    text = "_".join(raw.strip().lower().replace("-", " ").split())
    return text or None


def _is_dont_know(raw: Any) -> bool:
    return _normalise(raw) in _DONT_KNOW


def _choice(field: str, raw: Any) -> str | None:
    text = _normalise(raw)
    if text is None:
        return None
    text = _ALIASES[field].get(text, text)
    if text in _CHOICES[field]:
        return text
    return "other" if field == "location" else None


def _days(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        try:
            raw = float(raw.strip())
        except ValueError:
            return None
    if not isinstance(raw, (int, float)):
        return None
    days = float(raw)
    return days if math.isfinite(days) and days >= 0 else None


def _yes_no(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = _normalise(raw)
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _names_from_slot(raw: Any) -> list[str]:
    """Field names from the unknown_facts slot (slot or field names accepted); a safety
    question left unanswered makes the red flags unknown."""
    names = []
    for text in _strings(raw):
        field = "red_flags" if text in SCREEN_SLOTS else SLOT_TO_FIELD.get(text, text)
        if field in SLOT_TO_FIELD.values():
            names.append(field)
    return names


def _known_names(field: str, raw: Any, choices: Any) -> frozenset[str]:
    names = _strings(raw)
    known = frozenset(name for name in names if name in choices)
    dropped = sorted(set(names) - known)
    if dropped:
        logger.warning("%s: dropped unrecognised values %s", field, dropped)
    return known


def _strings(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple, set, frozenset)):
        return []
    return [text for text in (_normalise(item) for item in raw) if text is not None]
