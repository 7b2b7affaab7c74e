"""Plain-language reasons for a decision: why the answers point there, never a diagnosis."""

from __future__ import annotations

from .facts import Facts
from .red_flags import EMERGENCY, RED_FLAGS
from .rules import Decision, worse_sitting
from .thresholds import Thresholds
from .vocab import OUT_OF_SCOPE_LOCATIONS, RADIATION_BELOW_KNEE
from .words import LOCATION_WORDS, RADIATION_WORDS, describe_days, describe_threshold

_LEVEL_ADVICE = {
    EMERGENCY: "That is a warning sign that needs emergency care now.",
    "urgent": "That is a warning sign that a doctor should check today.",
}
_CLASS_NAMES = {
    "acute": "recent (acute) pain",
    "subacute": "subacute pain",
    "chronic": "long-lasting (chronic) pain",
}


def explain(facts: Facts, decision: Decision, thresholds: Thresholds) -> tuple[str, ...]:
    """The reasons for `decision`, most important first."""
    if decision.category == "emergency":
        return _red_flag_reasons(decision.red_flags)
    if decision.category == "out_of_scope":
        return _out_of_scope_reasons(facts)
    if decision.category == "sciatica":
        return (*_sciatica_reasons(facts), *_duration_reasons(facts, decision, thresholds))
    if decision.category == "piriformis":
        return (*_piriformis_reasons(facts), *_duration_reasons(facts, decision, thresholds))
    return _duration_reasons(facts, decision, thresholds) or _unknown_duration_reasons(thresholds)


def _red_flag_reasons(flag_ids: tuple[str, ...]) -> tuple[str, ...]:
    flags = sorted((RED_FLAGS[flag_id] for flag_id in flag_ids), key=lambda f: f.level != EMERGENCY)
    return tuple(f"You mentioned {flag.label}. {_LEVEL_ADVICE[flag.level]}" for flag in flags)


def _out_of_scope_reasons(facts: Facts) -> tuple[str, ...]:
    reasons = []
    if facts.is_child is True:
        reasons.append(
            "The person with pain is under 16, and the clinic's low back pain page is "
            "written for adults."
        )
    if facts.is_pregnant is True:
        reasons.append(
            "You are pregnant, and the clinic asks that your midwife or doctor sees you first "
            "for back pain in pregnancy; after the birth, the clinic will be glad to help."
        )
    if facts.kidney_stone_pattern is True:
        reasons.append(
            "Pain in one side that comes in waves and spreads to the groin (often with pink, red "
            "or brown urine) is not a back problem and needs a doctor: please see a doctor today "
            "(your family doctor or an urgent care centre) rather than booking acupuncture."
        )
    if facts.location in OUT_OF_SCOPE_LOCATIONS:
        reasons.append(
            f"Pain in {LOCATION_WORDS[facts.location]} is outside what the clinic's low "
            "back pain page covers."
        )
    return tuple(reasons)


def _sciatica_reasons(facts: Facts) -> tuple[str, ...]:
    signs = []
    if facts.radiation in RADIATION_BELOW_KNEE:
        signs.append(f"The pain is {RADIATION_WORDS[facts.radiation]}.")
    if facts.leg_numbness is True:
        signs.append("There is numbness or tingling in the leg or foot.")
    return (
        *signs,
        "Your answers match what the clinic's page calls sciatica-type pain: pain or "
        "tingling that travels down one leg from the back.",
    )


def _piriformis_reasons(facts: Facts) -> tuple[str, ...]:
    signs = ["The pain is mainly in one buttock."]
    if worse_sitting(facts):
        signs.append("It gets worse with sitting.")
    if facts.radiation is not None:
        signs.append("It does not go below the knee.")
    if facts.leg_numbness is False:
        signs.append("There is no numbness or tingling.")
    return (
        *signs,
        "Your answers match what the clinic's page calls piriformis-type pain, a buttock "
        "pain that sitting makes worse.",
    )


def _duration_reasons(facts: Facts, decision: Decision, thresholds: Thresholds) -> tuple[str, ...]:
    """How the duration class was reached, or () when the duration is unknown."""
    duration = decision.duration_class
    if duration is None:
        return ()
    chronic_limit = describe_threshold(thresholds.chronic_above_days)
    if facts.duration_days is None:
        return (
            "The pain comes and goes, and how long this has gone on is not known. On-and-off "
            f"pain over more than {chronic_limit} counts as {_CLASS_NAMES['chronic']}, so "
            "it is taken as that.",
            f"If it all started less than {describe_threshold(thresholds.acute_below_days)} "
            f"ago, it would count as {_CLASS_NAMES['acute']} instead.",
        )
    lasted = f"The pain has lasted {describe_days(facts.duration_days)}"
    acute_limit = describe_threshold(thresholds.acute_below_days)
    limits = {
        "acute": f"less than {acute_limit}",
        "subacute": f"between {acute_limit} and {chronic_limit}",
        "chronic": f"more than {chronic_limit}",
    }
    return (f"{lasted}, {limits[duration]}, which counts as {_CLASS_NAMES[duration]}.",)


def _unknown_duration_reasons(thresholds: Thresholds) -> tuple[str, ...]:
    acute_limit = describe_threshold(thresholds.acute_below_days)
    chronic_limit = describe_threshold(thresholds.chronic_above_days)
    return (
        "How long the pain has lasted is not known, so this uses the advice for "
        f"{_CLASS_NAMES['acute']}.",
        f"If it has lasted more than {acute_limit}, it would count as "
        f"{_CLASS_NAMES['subacute']}, and after {chronic_limit} as "
        f"{_CLASS_NAMES['chronic']}.",
    )
