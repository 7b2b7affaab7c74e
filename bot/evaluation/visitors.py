"""Load and validate the simulated visitors (``tests/eval/visitors.yml``).

Each visitor has an ``id``, an ``opener``, ``answers`` (form slot -> reply), optional
``followups`` (said when the bot asks nothing, e.g. after "hi"), optional ``extra``
messages, the ``expected`` category, optional ``expected_days`` and, for emergencies,
``red_flag: {id, said_in}`` naming the flag and the message that carries it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.triage import RED_FLAGS
from bot.triage.vocab import CATEGORIES

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "tests" / "eval" / "visitors.yml"

# The questions the triage form asks, in order.
ASKED_SLOTS = (
    "pain_location",
    "pain_duration_days",
    "radiation",
    "pain_side",
    "leg_numbness",
    "leg_weakness",
    "worse_sitting",
    "screen_cauda",
    "screen_serious",
    "screen_injury_night",
)
SCREEN_SLOTS = frozenset({"screen_cauda", "screen_serious", "screen_injury_night"})

# Red flags of clinical.md section 2 that a visitor can name (the screening-question
# ids are answers to the bot's grouped questions, not phrasings).
RED_FLAG_IDS = tuple(flag for flag in RED_FLAGS if not flag.endswith("_screen_positive"))
SAID_IN = ("opener", "followup", "extra", *ASKED_SLOTS)

_KEYS = frozenset(
    {"id", "opener", "answers", "followups", "extra", "expected", "expected_days"}
    | {"red_flag", "note", "tags"}
)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class VisitorFileError(ValueError):
    """The visitors file is unreadable or a visitor is malformed (all problems listed)."""


@dataclass(frozen=True)
class Extra:
    """A message sent once ``after_turn`` visitor messages were sent, or right after
    the visitor answered the slot ``after_answer``."""

    text: str
    after_turn: int | None = None
    after_answer: str | None = None


@dataclass(frozen=True)
class RedFlagTag:
    """Which red flag an emergency visitor reports, and in which message."""

    id: str
    said_in: str

    @property
    def where(self) -> str:
        """opener, followup, extra (usually a FAQ), screen or answer (to another question)."""
        if self.said_in in SCREEN_SLOTS:
            return "screen"
        return self.said_in if self.said_in in ("opener", "followup", "extra") else "answer"


@dataclass(frozen=True)
class Visitor:
    id: str
    opener: str
    expected: str
    answers: Mapping[str, str] = field(default_factory=dict)
    followups: tuple[str, ...] = ()
    extra: tuple[Extra, ...] = ()
    expected_days: float | None = None
    red_flag: RedFlagTag | None = None
    note: str = ""
    tags: tuple[str, ...] = ()


def load_visitors(path: str | Path | None = None) -> list[Visitor]:
    """Read and validate a visitors file; raise VisitorFileError listing every problem."""
    path = Path(path or DEFAULT_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise VisitorFileError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise VisitorFileError(f"{path}: not valid YAML: {error}") from error
    return parse_visitors(data, source=str(path))


def parse_visitors(data: Any, source: str = "visitors.yml") -> list[Visitor]:
    """Validate parsed YAML (``{visitors: [...]}``) and build the visitors."""
    if not isinstance(data, Mapping) or not isinstance(data.get("visitors"), list):
        raise VisitorFileError(f"{source}: expected a top-level 'visitors:' list")
    problems: list[str] = []
    visitors: list[Visitor] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["visitors"]):
        name = raw.get("id") if isinstance(raw, Mapping) else None
        label = f"visitor {name!r}" if isinstance(name, str) else f"visitor #{index + 1}"
        found: list[str] = []
        visitor = _parse_one(raw, found)
        problems.extend(f"{source}: {label}: {problem}" for problem in found)
        if visitor is None:
            continue
        if visitor.id in seen:
            problems.append(f"{source}: {label}: duplicate id")
        seen.add(visitor.id)
        visitors.append(visitor)
    if problems:
        raise VisitorFileError("\n".join(problems))
    return visitors


def _parse_one(raw: Any, problems: list[str]) -> Visitor | None:
    if not isinstance(raw, Mapping):
        problems.append("expected a mapping of keys")
        return None
    for key in sorted(set(raw) - _KEYS, key=str):
        problems.append(f"{key}: unknown key (allowed: {', '.join(sorted(_KEYS))})")
    visitor_id = raw.get("id")
    if not isinstance(visitor_id, str) or not _ID.match(visitor_id):
        problems.append("id: expected lowercase letters, digits, '-' or '_'")
    opener = _text(raw.get("opener"), "opener", problems)
    expected = raw.get("expected")
    if expected not in CATEGORIES:
        problems.append(f"expected: {expected!r} is not one of {', '.join(CATEGORIES)}")
    answers = _answers(raw.get("answers", {}), problems)
    followups = _texts(raw.get("followups", []), "followups", problems)
    extra = _extras(raw.get("extra", []), problems)
    days = raw.get("expected_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, (int, float))):
        problems.append(f"expected_days: expected a number of days, got {days!r}")
    elif days is not None and days < 0:
        problems.append("expected_days: must not be negative")
    red_flag = _red_flag(raw.get("red_flag"), expected, answers, extra, followups, problems)
    note = raw.get("note", "")
    if not isinstance(note, str):
        problems.append("note: expected text")
    tags = _texts(raw.get("tags", []), "tags", problems)
    if problems:
        return None
    return Visitor(
        id=visitor_id,
        opener=opener,
        expected=expected,
        answers=answers,
        followups=followups,
        extra=extra,
        expected_days=None if days is None else float(days),
        red_flag=red_flag,
        note=note,
        tags=tags,
    )


def _text(value: Any, key: str, problems: list[str]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{key}: expected non-empty text")
        return ""
    return value


def _texts(value: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{key}: expected a list")
        return ()
    return tuple(_text(item, f"{key}[{i}]", problems) for i, item in enumerate(value))


def _answers(value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        problems.append("answers: expected a mapping of slot: reply")
        return {}
    answers = {}
    for slot, reply in value.items():
        if slot not in ASKED_SLOTS:
            problems.append(f"answers.{slot}: not a slot the triage form asks")
        answers[slot] = _text(reply, f"answers.{slot}", problems)
    return answers


def _extras(value: Any, problems: list[str]) -> tuple[Extra, ...]:
    if not isinstance(value, list):
        problems.append("extra: expected a list")
        return ()
    extras = []
    for i, item in enumerate(value):
        key = f"extra[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{key}: expected a mapping with text and after_turn or after_answer")
            continue
        for unknown in sorted(set(item) - {"text", "after_turn", "after_answer"}, key=str):
            problems.append(f"{key}.{unknown}: unknown key")
        text = _text(item.get("text"), f"{key}.text", problems)
        turn, answer = item.get("after_turn"), item.get("after_answer")
        if (turn is None) == (answer is None):
            problems.append(f"{key}: give exactly one of after_turn and after_answer")
        elif turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 1):
            problems.append(f"{key}.after_turn: expected a whole number >= 1")
        elif answer is not None and answer not in ASKED_SLOTS:
            problems.append(f"{key}.after_answer: {answer!r} is not a slot the triage form asks")
        extras.append(Extra(text, turn, answer))
    return tuple(extras)


def _red_flag(
    value: Any,
    expected: Any,
    answers: Mapping[str, str],
    extra: tuple[Extra, ...],
    followups: tuple[str, ...],
    problems: list[str],
) -> RedFlagTag | None:
    if value is None:
        if expected == "emergency":
            problems.append("red_flag: required when expected is emergency")
        return None
    if expected != "emergency":
        problems.append("red_flag: only for visitors expected to be an emergency")
    if not isinstance(value, Mapping) or set(value) != {"id", "said_in"}:
        problems.append("red_flag: expected {id: <red flag id>, said_in: <where>}")
        return None
    flag_id, said_in = value["id"], value["said_in"]
    if flag_id not in RED_FLAG_IDS:
        problems.append(f"red_flag.id: {flag_id!r} is not one of {', '.join(RED_FLAG_IDS)}")
    if said_in not in SAID_IN:
        problems.append(f"red_flag.said_in: {said_in!r} is not one of {', '.join(SAID_IN)}")
    elif said_in in ASKED_SLOTS and said_in not in answers:
        problems.append(f"red_flag.said_in: the visitor has no answer for {said_in}")
    elif said_in == "extra" and not extra:
        problems.append("red_flag.said_in: extra, but the visitor has no extra messages")
    elif said_in == "followup" and not followups:
        problems.append("red_flag.said_in: followup, but the visitor has no followups")
    return RedFlagTag(flag_id, said_in)
