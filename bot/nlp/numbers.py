"""Numbers as visitors type them: digits, words ("twenty one") and vague amounts."""

from __future__ import annotations

import re

ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ate": 8,  # dictation: "sore for ate weeks"
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague amounts, longest first so the regex prefers "a couple of" over "a".
VAGUE = {
    "a couple of": 2.0,
    "a couple": 2.0,
    "couple of": 2.0,
    "a few": 3.0,
    "few": 3.0,
    "several": 4.0,
    "many": 5.0,
    "a dozen": 12.0,
    "a": 1.0,
    "an": 1.0,
}

_ONES_1_9 = "|".join(k for k, v in ONES.items() if 1 <= v <= 9)
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(TENS)})(?:[\s-]+(?:{_ONES_1_9}))?"
    rf"|{'|'.join(sorted(ONES, key=len, reverse=True))})"
)
#: A regex (no groups) for one number: digits, number words or a vague amount.
NUMBER_RE = (
    rf"(?:\d+(?:[.,]\d+)?|{_WORD_NUMBER}"
    rf"|{'|'.join(re.escape(k) for k in VAGUE)})"
)


def parse_number(text: str) -> float | None:
    """Value of one number written as digits, words or a vague amount, else None."""
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", words):
        return float(words.replace(",", "."))
    if words in VAGUE:
        return VAGUE[words]
    parts = words.split()
    if len(parts) == 1:
        if parts[0] in ONES:
            return float(ONES[parts[0]])
        if parts[0] in TENS:
            return float(TENS[parts[0]])
        return None
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ONES and 1 <= ONES[parts[1]] <= 9:
        return float(TENS[parts[0]] + ONES[parts[1]])
    return None


#: A regex (no groups) for a whole number written in words ("sixty seven").
WORD_NUMBER_RE = _WORD_NUMBER

_DECADE_WORDS = {
    "teens": 10,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
_DECADE_RE = re.compile(
    rf"\b(?P<part>early|mid|late)?[\s-]*(?:(?P<digits>\d)0\s*'?\s*s|(?P<word>{'|'.join(_DECADE_WORDS)}))\b"
)
_AGE_NUMBER_RE = re.compile(rf"(?<![\w.])(?P<num>\d{{1,3}}|{_WORD_NUMBER})(?![\w.])")
_SHIFT = {"over": 1, "under": -1, "nearly": -1, "almost": -1}


def parse_age(text: str) -> int | None:
    """An age in years from phrases like "I'm 67", "a 10-year-old", "in my late fifties"."""
    text = " ".join(text.lower().split())
    decade = _DECADE_RE.search(text)
    if decade:
        base = int(decade["digits"]) * 10 if decade["digits"] else _DECADE_WORDS[decade["word"]]
        age = base + {"early": 2, "mid": 5, "late": 8}.get(decade["part"] or "mid", 5)
    else:
        number = _AGE_NUMBER_RE.search(text.replace("-", " "))
        value = parse_number(number["num"]) if number else None
        if value is None:
            digits = re.search(r"(?<!\d)(\d{1,3})(?=\s*(?:yo|y/o|yrs?|y)\b)", text)
            value = float(digits[1]) if digits else None
        if value is None:
            return None
        shift = next((v for k, v in _SHIFT.items() if re.search(rf"\b{k}\b", text)), 0)
        age = int(value) + shift
    return age if 0 < age < 120 else None
