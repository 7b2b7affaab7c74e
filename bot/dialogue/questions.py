"""Which triage questions are still worth asking, in the order a person would ask them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.triage import SCREEN_SLOTS, Facts, assess

LEG_EXTENTS = ("thigh", "below_knee", "foot")
IN_SCOPE_LOCATIONS = (None, "low_back", "buttock", "hip", "leg")


def questions_to_ask(slots: Mapping[str, Any]) -> list[str]:
    """Slots the triage form should still fill; empty when triage must stop now.

    Triage stops at once on a red flag, for a child, or for pain outside the low back
    region (the assessment then explains why). Facts the visitor could not give are
    not asked again.
    """
    unknown = set(slots.get("unknown_facts") or []) | set(slots.get("skipped_facts") or [])
    stops = ("red_flags", "visitor_is_child", "visitor_is_pregnant")
    if any(slots.get(name) for name in stops):
        return []
    if slots.get("kidney_stone_pattern"):
        # the kidney-stone pattern with a fever is an emergency (clinical.md section 2)
        fever = "screen_serious"
        return [fever] if slots.get(fever) is None and fever not in unknown else []
    if assess(Facts.from_slots(slots)).category == "emergency":  # e.g. both legs
        return []
    location = slots.get("pain_location")
    if location not in IN_SCOPE_LOCATIONS:
        return []
    radiation = slots.get("radiation")
    leg_involved = (
        radiation in LEG_EXTENTS
        or location == "leg"
        or slots.get("leg_numbness") is True
        or "radiation" in unknown  # "down my leg", how far unclear: ask side and weakness
    )
    order = ["pain_location", "pain_duration_days", "radiation"]
    if slots.get("pending_red_flag") and slots.get("confirm_red_flag") is None:
        order.insert(0, "confirm_red_flag")  # the visitor's own words first
    if leg_involved or location == "buttock":
        order.append("pain_side")
    order.append("leg_numbness")
    if leg_involved:
        order.append("leg_weakness")
    order.append("worse_sitting")
    order.extend(SCREEN_SLOTS)
    return [slot for slot in order if slot not in unknown]
