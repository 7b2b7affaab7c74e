"""What staff can say a visitor message carried, and the categories and intents to pick.

Pure. A fact is (name, value, assertion): ``location`` / ``side`` / ``radiation`` take
one of bot.triage's values, ``duration_days`` a number of days, ``leg_numbness`` /
``leg_weakness`` / ``worse_sitting`` no value, ``red_flag`` a red flag's id. The
assertion says whether the visitor reported it (``present``) or denied it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# CATEGORIES and RED_FLAG_IDS are the evaluation's, so exported conversations validate.
from bot.evaluation.visitors import CATEGORIES, RED_FLAG_IDS  # noqa: F401 (re-exported)
from bot.triage.vocab import LOCATIONS, RADIATIONS, SIDES

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "domain.yml"
ASSERTIONS = ("present", "denied")
VALUE_FACTS: dict[str, tuple[str, ...]] = {
    "location": tuple(LOCATIONS),
    "side": tuple(SIDES),
    "radiation": tuple(RADIATIONS),
}
YES_NO_FACTS = ("leg_numbness", "leg_weakness", "worse_sitting")
FACT_NAMES = (*VALUE_FACTS, "duration_days", *YES_NO_FACTS, "red_flag")
# Intents that are never a right answer to teach: Rasa's own fallback.
NOT_TEACHABLE = frozenset({"nlu_fallback"})
MAX_DAYS = 36_500


@dataclass(frozen=True)
class Fact:
    fact: str
    value: Any | None = None
    assertion: str = "present"

    def label(self) -> str:
        what = self.fact if self.value is None else f"{self.fact} = {self.value}"
        return what if self.assertion == "present" else f"{what} (denied)"


def check(fact: Fact) -> Fact:
    """The fact if it is well formed, else ValueError naming what is wrong."""
    if fact.assertion not in ASSERTIONS:
        raise ValueError(f"{fact.fact}: assertion must be present or denied")
    if fact.fact in VALUE_FACTS:
        if fact.value not in VALUE_FACTS[fact.fact]:
            raise ValueError(f"{fact.fact}: {fact.value!r} is not one of the choices")
    elif fact.fact == "duration_days":
        days = fact.value
        if isinstance(days, bool) or not isinstance(days, (int, float)):
            raise ValueError("duration_days: expected a number of days")
        if not math.isfinite(days) or not 0 <= days <= MAX_DAYS:
            raise ValueError(f"duration_days: expected 0 to {MAX_DAYS} days")
    elif fact.fact in YES_NO_FACTS:
        if fact.value is not None:
            raise ValueError(f"{fact.fact}: takes no value, only present or denied")
    elif fact.fact == "red_flag":
        if fact.value not in RED_FLAG_IDS:
            raise ValueError(f"red_flag: {fact.value!r} is not a red flag")
    else:
        raise ValueError(f"unknown fact {fact.fact!r}")
    return fact


def to_json(facts: Sequence[Fact]) -> str:
    return json.dumps([asdict(f) for f in facts], sort_keys=True)


def from_json(text: str | None) -> list[Fact]:
    """Stored facts (anything malformed is dropped: the vocabulary may have changed)."""
    try:
        raw = json.loads(text or "[]")
    except ValueError:
        return []
    facts = []
    for item in raw if isinstance(raw, list) else []:
        try:
            facts.append(check(Fact(item["fact"], item.get("value"), item.get("assertion"))))
        except (KeyError, TypeError, ValueError):
            continue
    return facts


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError("duration_days: expected a number of days") from None


def from_form(form: Mapping[str, Sequence[str]]) -> list[Fact]:
    """Facts from the transcript's correction form (field name -> list of values).

    ``location``/``side``/``radiation``: one choice; ``duration_days``: a number;
    ``leg_numbness``/``leg_weakness``/``worse_sitting``: present or denied;
    ``red_flag_present`` / ``red_flag_denied``: any number of red-flag ids.
    """

    def first(name: str) -> str:
        values = form.get(name) or [""]
        return (values[0] or "").strip()

    facts: list[Fact] = []
    for name in VALUE_FACTS:
        if first(name):
            facts.append(check(Fact(name, first(name))))
    if first("duration_days"):
        facts.append(check(Fact("duration_days", _number(first("duration_days")))))
    for name in YES_NO_FACTS:
        if first(name):
            facts.append(check(Fact(name, None, first(name))))
    present = [v for v in form.get("red_flag_present") or [] if v]
    denied = [v for v in form.get("red_flag_denied") or [] if v]
    if set(present) & set(denied):
        raise ValueError("a red flag cannot be both present and denied")
    for assertion, flags in (("present", present), ("denied", denied)):
        for flag in dict.fromkeys(flags):
            facts.append(check(Fact("red_flag", flag, assertion)))
    return facts


@lru_cache(maxsize=4)
def domain_intents(path: Path = DOMAIN) -> tuple[str, ...]:
    """The intents staff can choose: the domain's, without Rasa's fallback."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    names = []
    for item in data.get("intents") or []:
        name = next(iter(item)) if isinstance(item, dict) else item
        if isinstance(name, str) and name not in NOT_TEACHABLE:
            names.append(name)
    return tuple(names)
