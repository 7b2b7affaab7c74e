"""summarise_facts(): read the visitor's answers back in plain words."""

from __future__ import annotations

from .facts import FACT_NAMES, Facts
from .red_flags import RED_FLAGS
from .words import (
    AGGRAVATOR_WORDS,
    LOCATION_WORDS,
    RADIATION_WORDS,
    SIDE_WORDS,
    UNSURE_WORDS,
    describe_days,
    join_words,
)

_YES_NO_WORDS = {
    "leg_numbness": ("with numbness or tingling", "no numbness or tingling"),
    "leg_weakness": ("with weakness in your leg", "no leg weakness"),
    "worse_sitting": ("worse when sitting", "not worse when sitting"),
}
_NOTHING_KNOWN = "I don't know anything about the pain yet."


def summarise_facts(facts: Facts) -> str:
    """'You told me: pain in your lower back on the left, for about 3 weeks, ...'.

    Only what is known is mentioned, then what the visitor wasn't sure about.
    """
    told = _told(facts)
    unsure = [UNSURE_WORDS[name] for name in _unsure_names(facts)]
    if told and unsure:
        return f"You told me: {', '.join(told)}; you weren't sure {join_words(unsure, 'or')}."
    if told:
        return f"You told me: {', '.join(told)}."
    if unsure:
        return f"You weren't sure {join_words(unsure, 'or')}."
    return _NOTHING_KNOWN


def _told(facts: Facts) -> list[str]:
    parts = [_where(facts)] if facts.location or facts.side else []
    if facts.duration_days is not None:
        parts.append(f"for {describe_days(facts.duration_days)}")
    if facts.pattern:
        parts.append("coming and going" if facts.pattern == "recurrent" else "there all the time")
    if facts.radiation:
        parts.append(RADIATION_WORDS[facts.radiation])
    for name, (yes, no) in _YES_NO_WORDS.items():
        value = getattr(facts, name)
        if value is not None:
            parts.append(yes if value else no)
    aggravators = sorted(facts.aggravators - ({"sitting"} if facts.worse_sitting else set()))
    if aggravators:
        words = [AGGRAVATOR_WORDS[name] for name in aggravators]
        parts.append(f"made worse by {join_words(words)}")
    if facts.is_child:
        parts.append("in a child under 16")
    if facts.is_pregnant:
        parts.append("during a pregnancy")
    if facts.kidney_stone_pattern:
        parts.append("coming in waves to the groin")
    if facts.red_flags:
        labels = [RED_FLAGS[flag].label for flag in sorted(facts.red_flags)]
        parts.append(f"and {join_words(labels)}")
    return parts


def _where(facts: Facts) -> str:
    place = f"pain in {LOCATION_WORDS[facts.location]}" if facts.location else "pain"
    return f"{place} {SIDE_WORDS[facts.side]}" if facts.side else place


def _unsure_names(facts: Facts) -> list[str]:
    """Fields the visitor said they didn't know and that have no value since."""
    return [
        name
        for name in FACT_NAMES
        if name in facts.unknown and getattr(facts, name) in (None, frozenset())
    ]
