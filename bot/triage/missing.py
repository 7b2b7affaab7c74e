"""Which unanswered facts would have mattered for a decision."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .facts import FACT_NAMES, Facts
from .red_flags import RED_FLAGS
from .rules import Decision, decide
from .thresholds import Thresholds
from .vocab import AGGRAVATORS, LOCATIONS, PATTERNS, RADIATIONS, SIDES

_SCALAR_CHOICES = {
    "location": LOCATIONS,
    "side": SIDES,
    "pattern": PATTERNS,
    "radiation": RADIATIONS,
    "leg_numbness": (True, False),
    "leg_weakness": (True, False),
    "worse_sitting": (True, False),
    "is_child": (True, False),
    "is_pregnant": (True, False),
    "kidney_stone_pattern": (True, False),
}
_SET_CHOICES = {"aggravators": AGGRAVATORS, "red_flags": tuple(RED_FLAGS)}
FINAL_CATEGORIES = frozenset({"emergency", "out_of_scope"})


def missing_facts(facts: Facts, decision: Decision, thresholds: Thresholds) -> tuple[str, ...]:
    """Unknown facts, in field order, for which some answer would change the decision.

    A fact is unknown when it is None, or for a set (aggravators, red flags) when the
    visitor said they didn't know. "Change" means another category, urgency or duration
    class, trying one fact at a time. Emergency and out-of-scope results are final and
    list nothing.
    """
    if decision.category in FINAL_CATEGORIES:
        return ()
    return tuple(
        name
        for name in FACT_NAMES
        if any(
            decide(replace(facts, **{name: value}), thresholds)[:3] != decision[:3]
            for value in _alternatives(facts, name, thresholds)
        )
    )


def _alternatives(facts: Facts, name: str, thresholds: Thresholds) -> tuple[Any, ...]:
    if name in _SET_CHOICES:
        if name not in facts.unknown:
            return ()
        return tuple(getattr(facts, name) | {value} for value in _SET_CHOICES[name])
    if getattr(facts, name) is not None:
        return ()
    if name == "duration_days":
        # One duration inside each class.
        return (0.0, float(thresholds.acute_below_days), thresholds.chronic_above_days + 1.0)
    return _SCALAR_CHOICES[name]
