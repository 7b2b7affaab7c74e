"""Duration thresholds (configuration, not literals) and the duration classes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """Days that split acute / subacute / chronic.

    Pain lasting fewer than `acute_below_days` is acute, more than `chronic_above_days`
    is chronic, anything in between (both ends included) is subacute.
    """

    acute_below_days: int = 42
    chronic_above_days: int = 84

    def __post_init__(self) -> None:
        for name in ("acute_below_days", "chronic_above_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: expected a positive whole number of days, got {value!r}")
        if self.acute_below_days > self.chronic_above_days + 1:
            raise ValueError(
                f"acute_below_days: {self.acute_below_days} is more than "
                f"chronic_above_days + 1 ({self.chronic_above_days + 1})"
            )


def classify_duration(days: float, thresholds: Thresholds) -> str:
    """acute, subacute or chronic for a known number of days."""
    if days < thresholds.acute_below_days:
        return "acute"
    if days > thresholds.chronic_above_days:
        return "chronic"
    return "subacute"


def duration_class(days: float | None, pattern: str | None, thresholds: Thresholds) -> str | None:
    """The duration class from what is known, or None.

    A known duration decides. With the duration unknown, recurrent (on-and-off) pain is
    taken as chronic; otherwise there is no class.
    """
    if days is not None:
        return classify_duration(days, thresholds)
    if pattern == "recurrent":
        return "chronic"
    return None
