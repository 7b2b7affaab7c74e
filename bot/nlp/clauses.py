"""Clause boundaries for a blank pipeline (no parser): punctuation and contrast words."""

from __future__ import annotations

from spacy.tokens import Doc

#: Tokens that end a sentence.
SENTENCE_END = frozenset({".", "!", "?", ";", "\n", "...", "…"})
#: Words that start a contrasting clause ("no fever *but* I can't pee").
CONTRAST = frozenset(
    {"but", "though", "although", "however", "whereas", "except", "apart", "aside", "besides"}
)


def is_boundary(text: str) -> bool:
    """Whether a token (its lower-case text) separates clauses."""
    text = text.lower()
    return text in SENTENCE_END or text in CONTRAST or (text.strip() == "" and "\n" in text)


def segments(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the clauses of ``doc``, boundaries excluded."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if is_boundary(token.text):
            if token.i > start:
                bounds.append((start, token.i))
            start = token.i + 1
    if start < len(doc):
        bounds.append((start, len(doc)))
    return bounds


def segment_of(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The clause range containing tokens ``[start, end)`` (widened if it spans several)."""
    left, right = start, end
    while left > 0 and not is_boundary(doc[left - 1].text):
        left -= 1
    while right < len(doc) and not is_boundary(doc[right].text):
        right += 1
    return left, right
