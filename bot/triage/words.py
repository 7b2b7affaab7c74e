"""Plain words for facts and durations, shared by reasons and the summary."""

from __future__ import annotations

LOCATION_WORDS = {
    "low_back": "your lower back",
    "buttock": "your buttock",
    "hip": "your hip",
    "leg": "your leg",
    "neck": "your neck",
    "upper_back": "your upper back",
    "chest": "your chest",
    "abdomen": "your belly",
    "head": "your head",
    "other": "a place other than your back or legs",
}
SIDE_WORDS = {
    "left": "on the left",
    "right": "on the right",
    "both": "on both sides",
    "central": "in the middle",
}
RADIATION_WORDS = {
    "none": "staying where it is",
    "buttock": "spreading into your buttock",
    "thigh": "going down into your thigh",
    "below_knee": "going down below your knee",
    "foot": "going down to your foot",
}
AGGRAVATOR_WORDS = {
    "sitting": "sitting",
    "bending": "bending",
    "coughing": "coughing",
    "standing": "standing",
    "walking": "walking",
    "lifting": "lifting",
}
# Completes "you weren't sure ..."
UNSURE_WORDS = {
    "location": "where the pain is",
    "side": "which side it is on",
    "duration_days": "how long",
    "pattern": "whether it comes and goes",
    "radiation": "how far it spreads",
    "leg_numbness": "about numbness or tingling",
    "leg_weakness": "about leg weakness",
    "worse_sitting": "whether sitting makes it worse",
    "aggravators": "what makes it worse",
    "red_flags": "about the warning signs",
    "is_child": "whether the person with pain is under 16",
    "is_pregnant": "whether you are pregnant now",
    "kidney_stone_pattern": "whether the pain comes in waves to the groin with coloured urine",
}


def join_words(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def describe_days(days: float) -> str:
    """A rounded, spoken length of time: 'about 3 weeks', 'less than a day'."""
    if days < 1:
        return "less than a day"
    if days < 14:
        return f"about {_count(round(days), 'day')}"
    if days < 90:
        return f"about {_count(round(days / 7), 'week')}"
    if days < 730:
        return f"about {_count(round(days / 30.44), 'month')}"
    return f"about {_count(round(days / 365.25), 'year')}"


def describe_threshold(days: int) -> str:
    """An exact threshold: '6 weeks' when it is whole weeks, else '30 days'."""
    if days % 7 == 0:
        return _count(days // 7, "week")
    return _count(days, "day")
