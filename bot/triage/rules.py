"""The ordered triage rules of clinical.md section 1: Facts -> Decision.

Order: red flags (emergency) -> out of scope -> sciatica -> piriformis -> duration.

Choices where the rules leave room:
- Duration unknown: recurrent pain is taken as chronic (on and off, likely for long);
  otherwise the category is acute (the advice for recent pain) with no duration class.
  Either way the reasons say the length was not known and `missing` lists it.
- "Worse sitting" counts when the visitor said so or named sitting among aggravators.
- Pain in both legs includes `location == "leg"` on both sides (clinical.md: "pain,
  numbness or weakness in both legs").
- Piriformis needs pain mainly in one buttock, so `side == "both"` does not qualify.
"""

from __future__ import annotations

from typing import NamedTuple

from .facts import Facts
from .red_flags import EMERGENCY, RED_FLAGS
from .thresholds import Thresholds, duration_class
from .vocab import OUT_OF_SCOPE_LOCATIONS, RADIATION_BELOW_KNEE, RADIATION_INTO_LEG


class Decision(NamedTuple):
    category: str
    urgency: str
    duration_class: str | None
    red_flags: tuple[str, ...]


def triggered_red_flags(facts: Facts) -> tuple[str, ...]:
    """Reported red flags plus those implied by other answers, sorted."""
    flags = set(facts.red_flags)
    if facts.location == "chest":
        flags.add("chest_pain")
    if facts.leg_weakness is True:
        flags.add("leg_weakness")
    if facts.side == "both" and has_leg_symptoms(facts):
        flags.add("bilateral_leg_symptoms")
    return tuple(sorted(flags))


def has_leg_symptoms(facts: Facts) -> bool:
    """Pain, numbness or weakness reaching the leg."""
    return (
        facts.leg_numbness is True
        or facts.leg_weakness is True
        or facts.radiation in RADIATION_INTO_LEG
        or facts.location == "leg"
    )


def is_out_of_scope(facts: Facts) -> bool:
    """A child under 16, a visitor who is pregnant now, the kidney-stone pattern (one side,
    in waves, to the groin, coloured urine: with a fever it is an emergency, by the red flag),
    or pain outside the low back region."""
    return (
        facts.is_child is True
        or facts.is_pregnant is True
        or facts.kidney_stone_pattern is True
        or facts.location in OUT_OF_SCOPE_LOCATIONS
    )


def points_to_sciatica(facts: Facts) -> bool:
    """Pain below the knee or numbness/tingling, in one leg."""
    leg_signs = facts.radiation in RADIATION_BELOW_KNEE or facts.leg_numbness is True
    return leg_signs and facts.side != "both"


def worse_sitting(facts: Facts) -> bool:
    return facts.worse_sitting is True or "sitting" in facts.aggravators


def points_to_piriformis(facts: Facts) -> bool:
    """One buttock, worse sitting, nothing below the knee, no numbness or tingling."""
    return (
        facts.location == "buttock"
        and facts.side != "both"
        and worse_sitting(facts)
        and facts.radiation not in RADIATION_BELOW_KNEE
        and facts.leg_numbness is not True
    )


def decide(facts: Facts, thresholds: Thresholds) -> Decision:
    """Apply the rules in order; the first that matches gives the category."""
    duration = duration_class(facts.duration_days, facts.pattern, thresholds)
    flags = triggered_red_flags(facts)
    if flags:
        levels = {RED_FLAGS[flag].level for flag in flags}
        urgency = "emergency" if EMERGENCY in levels else "urgent"
        return Decision("emergency", urgency, duration, flags)
    if is_out_of_scope(facts):
        return Decision("out_of_scope", "routine", duration, ())
    if points_to_sciatica(facts):
        category = "sciatica"
    elif points_to_piriformis(facts):
        category = "piriformis"
    else:
        category = duration or "acute"
    return Decision(category, "routine", duration, ())
