"""``backchat_filter``: drops ruler matches that are false friends.

* ``false_friend`` matches ("back to work", "hay fever", "my mum had cancer") exist only to
  out-length a misleading shorter match; they are removed here.
* A bare "left" / "right" / "both" / "middle" is a side only near anatomy ("left leg",
  "both of my legs", "on the right", "left-sided"), not in "I left work" or "right now".
* An age ("I'm 14") is dropped when a unit follows ("I'm 5 weeks in", "I'm 100% sure").
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.numbers import parse_age

FALSE_FRIEND = "false_friend"
BARE_SIDES = frozenset({"left", "right", "lt", "rt", "both", "middle", "centre", "center"})
SIDE_NOUNS = frozenset({"side", "sides", "sided", "one", "ones"})
SIDE_SKIP = frozenset(
    {"-", "and", "or", "&", "/", "of", "my", "the", "his", "her", "lower", "upper", "outer",
     "inner", "front", "hand", "left", "right", "lt", "rt", "both", "a", "bit", "part"}
)  # fmt: skip
SIDE_BEFORE = frozenset({"on", "to", "towards", "toward", "my", "her", "his", "their", "your"})
SIDE_BEFORE_THE = frozenset({"on", "to", "towards", "toward", "from", "at", "in"})
SIDE_LOOKAHEAD = 4
AGE_NEXT_OK = frozenset(
    {".", ",", "!", "?", ";", ")", "-", ":", "and", "but", "so", "now", "years", "yrs", "yo",
     "with", "this", "next", "last", "male", "female", "man", "woman", "guy", "lady", "f", "m",
     "year", "soon", "too", "also", "i", "my", "&", "yr", "y", "btw", "lol", "haha", "who",
     "old", "(", "\n"}
)  # fmt: skip


def _is_side(doc: Doc, ent: Span, body_starts: set[int]) -> bool:
    if len(ent) > 1 or ent.text.lower() not in BARE_SIDES:
        return True
    for token in doc[ent.end : ent.end + SIDE_LOOKAHEAD]:
        if token.i in body_starts or token.lower_ in SIDE_NOUNS:
            return True
        if token.lower_ not in SIDE_SKIP:
            break
    before = doc[ent.start - 1].lower_ if ent.start >= 1 else ""
    before2 = doc[ent.start - 2].lower_ if ent.start >= 2 else ""
    return before in SIDE_BEFORE or (before == "the" and before2 in SIDE_BEFORE_THE)


def _is_age(doc: Doc, ent: Span) -> bool:
    if parse_age(ent.text) is None:
        return False
    return ent.end >= len(doc) or doc[ent.end].lower_ in AGE_NEXT_OK


class FalseFriendFilter:
    """spaCy pipe removing false friends, bare sides away from anatomy and non-ages."""

    def __call__(self, doc: Doc) -> Doc:
        body_starts = {e.start for e in doc.ents if e.label_ == "body_part"}
        kept = []
        for ent in doc.ents:
            if ent.label_ == FALSE_FRIEND:
                continue
            if ent.label_ == "side" and not _is_side(doc, ent, body_starts):
                continue
            if ent.label_ == "age" and not _is_age(doc, ent):
                continue
            kept.append(ent)
        doc.ents = kept
        return doc


@Language.factory("backchat_filter")
def make_filter(nlp: Language, name: str) -> FalseFriendFilter:
    """Factory for :class:`FalseFriendFilter`."""
    return FalseFriendFilter()
