"""Assessment and assess(): the one entry point of the triage logic."""

from __future__ import annotations

from dataclasses import dataclass

from .facts import Facts
from .missing import FINAL_CATEGORIES, missing_facts
from .reasons import explain
from .rules import decide
from .thresholds import Thresholds
from .vocab import CATEGORIES, DURATION_CLASSES, URGENCIES


@dataclass(frozen=True)
class Assessment:
    """Where the visitor's answers point, why, and what was not known.

    `duration_class` accompanies every category when it can be worked out (a chronic
    sciatica-type pain is category "sciatica", duration_class "chronic").
    """

    category: str
    urgency: str
    duration_class: str | None
    red_flags: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"category: unexpected {self.category!r}")
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency: unexpected {self.urgency!r}")
        if self.duration_class is not None and self.duration_class not in DURATION_CLASSES:
            raise ValueError(f"duration_class: unexpected {self.duration_class!r}")

    @property
    def bookable(self) -> bool:
        """Whether an appointment may be offered: not after a red flag or out of scope,
        and not while a red flag could still change the result (a safety question left
        unanswered): clinical.md section 2, screen every visitor before anything is booked.
        """
        return self.category not in FINAL_CATEGORIES and not self.unscreened

    @property
    def unscreened(self) -> bool:
        """A red flag, if the visitor had one, would change the result but is not known."""
        return "red_flags" in self.missing


DEFAULT_THRESHOLDS = Thresholds()


def assess(facts: Facts, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Assessment:
    """Triage `facts` by the ordered rules of clinical.md (see bot.triage.rules)."""
    decision = decide(facts, thresholds)
    return Assessment(
        category=decision.category,
        urgency=decision.urgency,
        duration_class=decision.duration_class,
        red_flags=decision.red_flags,
        reasons=explain(facts, decision, thresholds),
        missing=missing_facts(facts, decision, thresholds),
    )
