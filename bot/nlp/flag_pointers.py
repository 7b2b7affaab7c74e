"""Short answers that point at one item of a safety question: "just the weight thing".

The screening questions list several warning signs at once; a visitor often answers by
pointing at one ("the fever one", "just the weight", "only the bladder part") instead of
saying yes. Such a pointer is not a clear red flag, but it must not read as "no" either:
it becomes a possible flag, which the dialogue asks about in the visitor's words
(clinical.md section 2: when the words are unclear, ask about that very thing).
"""

from __future__ import annotations

import re

#: Topic words of the safety questions -> the red flag they point at.
TOPICS = {
    "weight": "weight_loss",
    "weight loss": "weight_loss",
    "weight-loss": "weight_loss",
    "fever": "fever",
    "temperature": "fever",
    "temp": "fever",
    "chills": "fever",
    "cancer": "cancer_history",
    "chemo": "immunosuppression",
    "immune": "immunosuppression",
    "steroid": "steroid_use",
    "steroids": "steroid_use",
    "infection": "recent_infection",
    "unwell": "feeling_unwell",
    "bladder": "bladder_dysfunction",
    "pee": "bladder_dysfunction",
    "peeing": "bladder_dysfunction",
    "urine": "bladder_dysfunction",
    "bowel": "bowel_dysfunction",
    "poo": "bowel_dysfunction",
    "numb": "saddle_numbness",
    "numbness": "saddle_numbness",
    "fall": "major_trauma",
    "accident": "major_trauma",
    "night": "night_pain",
}
#: Said alone ("just the numbness in my toes"), these name a leg symptom, not the item.
AMBIGUOUS_ALONE = frozenset({"numb", "numbness", "night", "fall", "accident"})
_TOPIC = "|".join(sorted((re.escape(t) for t in TOPICS), key=len, reverse=True))
POINTER = re.compile(
    rf"\b(?:(?:just|only|except|apart from|but)\s+(?:for\s+)?(?:the|that|my)?\s*(?P<a>{_TOPIC})"
    rf"|(?:the|that)\s+(?P<b>{_TOPIC})\s+(?:thing|one|part|bit|stuff|issue|question))\b"
    r"(?!\s+(of|in|on|at)\b)",
    re.I,
)
#: "no, not the weight thing": a pointer that is denied is no answer.
DENIED_BEFORE = re.compile(r"\b(no|not|none|never|nothing|n't)[ ,]+(\w+ +)?$", re.I)


def pointed_flags(text: str) -> list[tuple[str, int, int]]:
    """(flag, start, end) for each safety item the text points at without denying it."""
    found = []
    for match in POINTER.finditer(text):
        if DENIED_BEFORE.search(text[: match.start()]):
            continue
        topic = (match.group("a") or match.group("b")).lower()
        if match.group("a") and topic in AMBIGUOUS_ALONE:
            continue
        found.append((TOPICS[topic], match.start(), match.end()))
    return found
