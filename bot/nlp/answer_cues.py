"""How a message answers: yes, no, a yes taken back, a correction, sitting, sides, whose pain.

The dialogue layer (``bot.dialogue.understanding``) reads no text itself: these cues, the
clinical entities and the intent are all it gets. ``read_cues(text)`` is pure; the Rasa
component ``AnswerCueExtractor`` puts each cue on the message as an entity ``cue``.
"""

from __future__ import annotations

import re

from bot.nlp.assertion import FINE_AFTER

# Short answers to a yes/no question, read from the words themselves: deterministic,
# so a "no, didn't fall" is a no whatever the intent model thought of it.
NO_ANSWER = re.compile(
    r"^\W*(no|nope|nah|naw|not really|not at all|never|none|nothing|neither|negative"
    r"|(i )?don'?t think so|i don'?t|i do not|i haven'?t|i have not|not that i"
    r"|it doesn'?t|it does not)\b",
    re.I,
)
YES_ANSWER = re.compile(
    r"^\W*(yes|yeah|yep|yup|ya|yea|sure|definitely|absolutely|correct|i do|i have|i did"
    r"|it does|a (little|bit)|sometimes|kind of|kinda|sort of)\b",
    re.I,
)
# "Yeah the slip on the ice, but it wasn't a big fall": a yes taken back in part.
QUALIFIED = re.compile(
    r"\b(but|though|although|except|however)\b.*\b(not|no|never|wasn'?t|isn'?t|didn'?t"
    r"|doesn'?t|don'?t|hasn'?t|haven'?t|nothing)\b",
    re.I,
)
CORRECTION = re.compile(r"\b(actually|wait|sorry|i mean|i meant|correction|rather|not the)\b", re.I)
SITTING_WORDS = re.compile(r"\b(sit\w*|seated|driv\w*|car|chairs?|desk|couch|sofa)\b", re.I)
SITTING_IS_FINE = re.compile(
    r"\b(sitting|sittin|to sit|driving|the car)\s+(is|are|'s|s|feels)?\s*"
    r"(fine|ok|okay|good|alright|all right|no problem|not a problem)\b",
    re.I,
)
SIDE_WORD = re.compile(r"(?<!not )\b(left|right|both)\b", re.I)
# "My son has back pain" is about a child; "I hurt my back lifting my kid" is not.
FIRST_PERSON_PAIN = re.compile(
    r"\b(my (lower |low |upper )?(back|bum|butt|buttock|hip|leg|sciatica)|i('ve| have)? "
    r"(hurt|have|had|got|threw|put|pulled|strained)|i'?m in pain)\b",
    re.I,
)

#: Every cue ``read_cues`` can give, for the domain and the tests.
CUES = (
    "answer_yes",
    "answer_no",
    "qualified",
    "correction",
    "question",
    "sitting_named",
    "sitting_fine",
    "side_left",
    "side_right",
    "side_both",
    "first_person_pain",
)


def read_cues(text: str) -> list[str]:
    """The cues of ``text``, in ``CUES`` order."""
    found = {
        "answer_yes": bool(YES_ANSWER.search(text)),
        "answer_no": bool(NO_ANSWER.search(text)),
        "qualified": bool(QUALIFIED.search(text)),
        "correction": bool(CORRECTION.search(text)),
        "question": "?" in text,
        "sitting_named": bool(SITTING_WORDS.search(text)),
        "sitting_fine": bool(SITTING_IS_FINE.search(text)),
        "first_person_pain": bool(FIRST_PERSON_PAIN.search(text)),
    }
    for match in SIDE_WORD.finditer(text):
        if not FINE_AFTER.match(text[match.end() :]):  # "both legs fine" names no side
            found[f"side_{match.group(1).lower()}"] = True
    return [cue for cue in CUES if found.get(cue)]
