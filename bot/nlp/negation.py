"""``backchat_negation``: sets ``span._.negated`` (small, negspacy-style).

Three rules, all bounded by the clause:

* a preceding cue ("no", "not", "never", "nothing", "without", "denies", "nor", "don't
  have", "haven't had") within ``window`` tokens, the scope ending at "but", ";", ".", "though",
  "because" or a new subject ("no fever *and I* can't pee", "no fever, *my* legs are numb");
  a comma, or for red flags "and"/"or", is crossed only inside a list of the same kind
  ("no fever, chills or sweats") or after a word sharing the next noun ("no bladder or
  bowel issues"), so a denial never spills onto a different red flag;
* a following answer cue: "numbness: no", "tingling - none", "fever? nope", "pain-free",
  "cancer was ruled out";
* a test that came back clear: "I had a scan for cancer, it was clear".

Ability is never a cue: "I can't pee" / "can't walk without pain" are findings, not denials.
Pseudo-negations ("not sure", "no matter how", "doesn't help", "not getting better") are not
cues either. Durations, ages and subjects are never negated.
"""

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.clauses import CONTRAST, SENTENCE_END
from bot.nlp.extensions import SPANS_KEY

NEGATABLE = frozenset(
    {"symptom", "body_part", "side", "red_flag", "radiation", "aggravator", "pain_pattern",
     "condition"}
)  # fmt: skip
CUES = frozenset(
    {"no", "not", "never", "without", "denies", "denied", "deny", "denying", "nor", "neither",
     "nope", "nah", "w/o"}
)  # fmt: skip
TWO_WORD_CUES = frozenset({("negative", "for"), ("free", "of"), ("absence", "of")})
CLITICS = frozenset({"n't", "nt", "n’t"})
AUXILIARIES = frozenset(
    {"do", "does", "did", "have", "has", "had", "is", "are", "was", "were", "am", "ai"}
)
ABILITY = frozenset({"ca", "can", "could", "cud", "wo", "couldn", "unable", "cannot"})
PSEUDO_AFTER_NOT = frozenset(
    {"only", "just", "sure", "certain", "able", "coping", "managing", "working", "work",
     "helping", "help", "helped", "helps", "improving", "improve", "improved", "easing", "ease",
     "eased", "sleeping", "sleep", "slept", "stopping", "stop", "stopped", "going", "getting",
     "settling", "settle", "settled", "budging", "shifting", "too", "that", "much", "very",
     "as", "always", "quite", "know", "knowing", "remember", "recall", "mind", "want", "matter",
     "seem", "seen", "been", "think", "bother", "worry", "like", "last", "let", "care", "use",
     "used"}
)  # fmt: skip
PSEUDO_AFTER_NO = frozenset(
    {"matter", "idea", "doubt", "more", "less", "relief", "better", "change", "improvement",
     "sleep", "way", "point", "one", "help", "difference", "reason", "wonder", "clue"}
)  # fmt: skip
PSEUDO_AFTER_NOTHING = frozenset(
    {"helps", "helped", "help", "works", "worked", "work", "matters", "else", "but", "more",
     "much", "like", "seems", "changes", "changed", "better", "relieves", "eases", "stops",
     "touches", "fixes", "fixed", "new"}
)  # fmt: skip
TERMINATORS = (
    SENTENCE_END
    | CONTRAST
    | frozenset({":", "because", "cause", "cos", "coz", "due", "since", "yet", "still", "which",
                 "who", "although", "otherwise", "instead", "plus", "also", "however", "now",
                 "except", "unless", "until", "till"})
)  # fmt: skip
SUBJECTS = frozenset({"i", "it", "he", "she", "they", "we", "you", "there", "im", "i'm"})
NEW_CLAUSE_AFTER = frozenset({"and", ",", "so", "then", "&", "-"})
CONJUNCTIONS = frozenset({"and", "or", "nor", "&", "plus", "/"})
# Words sharing the next noun in a list: "no bladder or bowel issues" denies both.
SHARED_HEAD_MODIFIERS = frozenset({"bladder", "bowel", "bowels", "urinary", "toilet", "bathroom"})
NEW_CLAUSE_STARTERS = SUBJECTS | frozenset(
    {"my", "his", "her", "our", "their", "this", "that", "the", "sometimes", "recently", "lately",
     "last", "yesterday", "today", "now", "then", "also"}
)  # fmt: skip
ANSWER_CUES = frozenset(
    {"no", "none", "nope", "nah", "never", "negative", "nil", "absent", "nothing"}
)
ANSWER_SEPARATORS = frozenset({":", "-", "–", "—", "=", "?", "..."})
ANSWER_FILLER = frozenset({"was", "were", "has", "have", "been", "is", "are", "it", "they", "got"})
ANSWER_BOUNDARIES = frozenset({",", ".", ";", "!", "yes", "yeah", "yep", "but", "\n"})
RULED_OUT = (("ruled", "out"), ("excluded",))
NOT_REALLY = (("not", "really"), ("not", "at", "all"))
INVESTIGATIONS = frozenset(
    {"scan", "scanned", "scans", "test", "tests", "tested", "testing", "check", "checked",
     "checking", "screened", "screening", "screen", "biopsy", "investigated", "investigations",
     "mri", "ct", "xray", "x-ray", "bloods", "blood", "ultrasound", "examined", "checkup"}
)  # fmt: skip
RESULTS = frozenset(
    {"clear", "negative", "normal", "fine", "benign", "nothing", "ok", "okay", "unremarkable"}
)


def _lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _same_kind(a: Span, b: Span) -> bool:
    """Same label, and for red flags the same flag ("fever, chills" are both ``fever``)."""
    return a.label_ == b.label_ and (a.label_ != "red_flag" or a.id_ == b.id_)


def _is_terminator(doc: Doc, i: int) -> bool:
    text = _lower(doc, i)
    if text in TERMINATORS or text in SUBJECTS or "\n" in text:
        return True
    return text in NEW_CLAUSE_AFTER and _lower(doc, i + 1) in NEW_CLAUSE_STARTERS


class NegationTagger:
    """spaCy pipe setting ``span._.negated`` on ``doc.ents`` and ``doc.spans["backchat"]``."""

    def __init__(self, window: int = 8) -> None:
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.ents) + (list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else [])
        # a cue inside an entity ("no feeling", "can't pee") is part of that fact
        covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        cue_ends = self._cue_positions(doc, covered)
        ending_at = {ent.end: ent for ent in doc.ents}
        answered = self._answered(doc, spans)
        for span in spans:
            if span.label_ not in NEGATABLE:
                continue
            span._.negated = (
                self._preceded(doc, span, cue_ends, ending_at)
                or id(span) in answered
                or self._followed(doc, span)
                or self._cleared_by_test(doc, span)
            )
        return doc

    def _cue_positions(self, doc: Doc, covered: set[int]) -> set[int]:
        """Token indices that end a preceding negation cue (not inside an entity)."""
        ends = set()
        for token in doc:
            i, text, nxt = token.i, token.lower_, _lower(doc, token.i + 1)
            if i in covered:
                continue
            if (text, nxt) in TWO_WORD_CUES:
                ends.add(i + 1)
            elif text in CLITICS or text == "not":
                if _lower(doc, i - 1) in ABILITY or nxt in PSEUDO_AFTER_NOT:
                    continue
                if text == "not" or _lower(doc, i - 1) in AUXILIARIES:
                    ends.add(i)
            elif text == "nothing":  # "nothing numb", "nothing down my leg"
                if nxt not in PSEUDO_AFTER_NOTHING:
                    ends.add(i)
            elif text in CUES:
                if text == "no" and nxt in PSEUDO_AFTER_NO:
                    continue
                if text == "never" and nxt in PSEUDO_AFTER_NOT:
                    continue
                if text == "without" and self._after_inability(doc, i):
                    continue
                ends.add(i)
        return ends

    @staticmethod
    def _after_inability(doc: Doc, i: int) -> bool:
        """A double negative ("can't walk without pain") is a finding, not a denial."""
        before = {_lower(doc, j) for j in range(max(0, i - 4), i)}
        return bool(before & (ABILITY | CLITICS | {"not", "never"}))

    def _preceded(
        self, doc: Doc, span: Span, cue_ends: set[int], ending_at: dict[int, Span]
    ) -> bool:
        """A cue before the span; a comma (or, for red flags, "and"/"or") is crossed only
        inside a list of the same kind: "no fever, chills or sweats" but not
        "no pain in my legs, just can't control my bladder" or "no fever and can't pee"."""
        for i in range(span.start - 1, max(-1, span.start - 1 - self.window), -1):
            if i in cue_ends:
                return True
            if _is_terminator(doc, i):
                return False
            text = doc[i].lower_
            if text in ("or", "nor") and span.label_ in ("red_flag", "condition"):
                continue  # "no bathroom issues or numbness", "never had osteoporosis or cancer"
            if text == "," or (span.label_ == "red_flag" and text in CONJUNCTIONS):
                before = ending_at.get(i)
                if before is None and _lower(doc, i - 1) in SHARED_HEAD_MODIFIERS:
                    continue
                if before is None:
                    return False
                # "no infections or fever": a list of red flags joined by "or" shares the
                # denial; "and" or a comma between different flags does not.
                listed = text in ("or", "nor") and before.label_ == span.label_ == "red_flag"
                if not (_same_kind(before, span) or listed):
                    return False
        return False

    def _answered(self, doc: Doc, spans: list[Span]) -> set[int]:
        """Spans answered "no" after a separator: "numbness or tingling: no"."""
        negated: set[int] = set()
        for token in doc:
            if token.lower_ not in ANSWER_CUES or not self._ends_answer(doc, token.i + 1):
                continue
            j = token.i - 1
            while j >= 0 and (doc[j].lower_ in ANSWER_SEPARATORS or doc[j].lower_ in ANSWER_FILLER):
                j -= 1
            if j == token.i - 1 and not any(s.end == token.i for s in spans):
                continue  # "pain, no" or "I have no": not an answer
            start = j
            while start > 0 and doc[start - 1].lower_ not in ANSWER_BOUNDARIES:
                start -= 1
            start = max(start, j - 6)
            negated.update(id(s) for s in spans if s.start >= start and s.end <= j + 1)
        return negated

    @staticmethod
    def _ends_answer(doc: Doc, i: int) -> bool:
        text = _lower(doc, i)
        return i >= len(doc) or text in {".", ",", "!", ";", "and", "but", "or", "so", "\n"}

    @staticmethod
    def _followed(doc: Doc, span: Span) -> bool:
        """Denied after the fact: "pain-free", "cancer was ruled out", "fever not really"."""
        if _lower(doc, span.end) == "free" or (
            _lower(doc, span.end) == "-" and _lower(doc, span.end + 1) == "free"
        ):
            return True
        k = span.end
        while (
            k < len(doc) and k < span.end + 3 and doc[k].lower_ in ANSWER_FILLER | ANSWER_SEPARATORS
        ):
            k += 1
        for cue in RULED_OUT + NOT_REALLY:
            if tuple(_lower(doc, k + n) for n in range(len(cue))) == cue:
                return cue in RULED_OUT or NegationTagger._ends_answer(doc, k + len(cue))
        return False

    @staticmethod
    def _cleared_by_test(doc: Doc, span: Span) -> bool:
        """A clear test ("scan for cancer, it was clear"), for red flags and conditions only."""
        if span.label_ not in ("red_flag", "condition") or _lower(doc, span.start - 1) != "for":
            return False
        before = _sentence_tokens(doc, range(span.start - 2, max(-1, span.start - 7), -1))
        if not any(t in INVESTIGATIONS for t in before):
            return False
        after = _sentence_tokens(doc, range(span.end, min(len(doc), span.end + 12)))
        return any(t in RESULTS for t in after)


def _sentence_tokens(doc: Doc, indices: Iterable[int]) -> list[str]:
    """Lower-case tokens at ``indices`` up to the first sentence or contrast boundary."""
    out = []
    for i in indices:
        text = doc[i].lower_
        if text in SENTENCE_END or text in CONTRAST:
            break
        out.append(text)
    return out


@Language.factory("backchat_negation", default_config={"window": 8})
def make_negation(nlp: Language, name: str, window: int) -> NegationTagger:
    """Factory for :class:`NegationTagger`."""
    return NegationTagger(window=window)
