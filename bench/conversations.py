"""A realistic mix of whole conversations with BackChat, each checked against this bot.

Weights follow the page's expected traffic: mostly triage of low back pain (acute,
chronic, sciatica-type, piriformis-type), some red flags, some clinic questions.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

NO3 = ("no", "no", "no")  # the three safety questions


@dataclass(frozen=True)
class Script:
    """One conversation: its messages and a phrase its last replies contain."""

    name: str
    steps: tuple[str, ...]
    done_text: str
    weight: int


ACUTE = Script(
    "acute",
    ("my lower back hurts since last week", "no", "no", "bending", *NO3),
    "book online",
    30,
)
MIX: list[Script] = [
    ACUTE,
    Script(
        "chronic",
        ("my lower back has been aching for over a year", "no", "no", "standing", *NO3,
         "how many sessions will I need?"),
        "treatments",
        20,
    ),
    Script(
        "sciatica",
        ("I've had pain in my lower back for 3 months and it shoots down my left leg",
         "below the knee", "yes", "no", "coughing", *NO3),
        "book online",
        20,
    ),
    Script(
        "piriformis",
        ("pain in my buttock going down the back of my right thigh for two weeks, "
         "worse when sitting", "no", "no", *NO3),
        "book online",
        10,
    ),
    Script("red_flag", ("my back hurts and I can't control my bladder",), "don't wait", 10),
    Script(
        "questions",
        ("how much does a treatment cost?", "what are your hours?", "do you take insurance?",
         "thanks, bye"),
        "Take care",
        10,
    ),
]  # fmt: skip


def mix(seed: int = 7) -> Iterator[Script]:
    """An endless, reproducible sequence of scripts drawn by weight."""
    rng = random.Random(seed)
    weights = [script.weight for script in MIX]
    while True:
        yield rng.choices(MIX, weights=weights)[0]


def turns_per_conversation() -> float:
    """Average number of messages of the mix."""
    total = sum(script.weight for script in MIX)
    return sum(len(script.steps) * script.weight for script in MIX) / total


def first(n: int, seed: int = 7) -> list[Script]:
    """The first ``n`` scripts of the mix."""
    return list(itertools.islice(mix(seed), n))
