"""Assertion status of one clause: is what it says the visitor's own, current experience?

clinical.md section 2: a red flag counts when the visitor reports it as theirs and
current; not when denied, someone else's, a question about a treatment's risk, or an old
event that was investigated and has not changed. Pure regular expressions over a clause
(the blank pipeline has no parser); the entity-level negation is ``bot.nlp.negation``.
"""

import re

from spacy.language import Language

from bot.nlp.clauses import SENTENCE_END
from bot.nlp.extensions import SPANS_KEY

PRESENT = "present"
NEGATED = "negated"
FAMILY = "family"
HYPOTHETICAL = "hypothetical"
HISTORICAL = "historical"

_NEGATED = re.compile(
    r"^\W*(no|nope|nah|not|never|none|nothing|neither|nor)\b"
    r"|\b(not any|none of|nothing like|never had|never been|free of|haven'?t had|havent had"
    r"|have not had|hasn'?t had|don'?t have|dont have|do not have|doesn'?t have|didn'?t have"
    r"|no sign of|no problems? with|no issues? with|no trouble with|no change|no changes"
    r"|(doesn'?t|does not|didn'?t|did not|don'?t|isn'?t|hasn'?t|haven'?t|never) (go|goes|spread"
    r"|travel|radiate|shoot|reach|affect|bother|happen)"
    r"|(is|are|was|were|feels?|seems?) (all )?(normal|fine|ok|okay|good|alright|all right))\b",
    re.I,
)
_RELATIVE = (
    r"(mom|mum|mother|dad|father|sister|brother|aunt|uncle|grandma|grandmother|grandpa"
    r"|grandfather|cousin|friend|neighbou?r|colleague|coworker|co-worker|boss|son|daughter"
    r"|family|parents?|relatives?)"
)
_FAMILY = re.compile(
    rf"\b((my|our|his|her|a)\s+)?{_RELATIVE}(-in-law)?(,?\s+\w+){{0,3}}?,?\s+"
    r"(had|has had|died|passed|was diagnosed|got diagnosed|has a history of|battled|beat"
    r"|survived)\b"
    rf"|\b(runs in (my|the) family|family history)\b",
    re.I,
)
_TREATMENT = r"(acupuncture|needles?|needling|treatments?|sessions?|it|that|this|they)"
#: A question about what treatment could cause: "can the needles give me an infection?",
#: "is there a risk of a collapsed lung?", "what if it hits a nerve?".
_QUESTION = re.compile(
    rf"\b(can|could|will|would|might|may|does|do)\s+(the\s+)?{_TREATMENT}(\s+{_TREATMENT})?\s+"
    r"(ever\s+|possibly\s+)?"
    r"(cause|give|lead|make|puncture|collapse|hit|damage|spread|bring|trigger|leave)\b"
    r"|\b(what if|in case|is there a risk|any risk|risk of|chance of|side effects?|dangerous"
    r"|is it risky|is it safe|safe to|cause an? |gets? infected|is it possible|just asking"
    r"|just curious|is it true|can (a|you|people|someone) (get|lose|have|end up)"
    r"|can (make|cause|give) (you|people|someone)"
    r"|(can|could|will|would|might|does|do) (this|it|that)( kind of thing| sort of thing)?"
    r" (ever )?(turn into|lead to|end up|become|progress|develop into|cause))\b",
    re.I,
)
#: "is acupuncture ok if I've had prostate cancer?": the premise is the visitor's own.
_OWN_PREMISE = re.compile(
    r"\b(i('ve| have| had| am|'m|m)?\s+(had|have|got|been diagnosed|on|taking)|ive had|im on"
    r"|i take|i was diagnosed|i'?m (on|taking))\b",
    re.I,
)
_PAST = re.compile(
    r"\b((years?|yrs?|decades?)\s+(ago|back)|back in (19|20)\d\d|in (19|20)\d\d|long time ago"
    r"|when (i|she|he) was (a kid|young|younger|a teenager|little)|as a (teenager|teen|kid|child"
    r"|young (man|woman))|back then|in (high school|college|university))\b",
    re.I,
)
_CLEARED = re.compile(
    r"\b(scans?|scanned|x-?rays?|xrays?|x-?rayed|mri|ct|tests?|checked|investigated|imaging)\b"
    r"[^.?!;]*"
    r"\b(fine|clear|normal|nothing|ok|okay|good|negative)\b",
    re.I,
)
#: "... is totally normal", "are ok": the words right after a fact say it is fine.
FINE_AFTER = re.compile(
    r"^[^\w.!?;,]*(\w+[^\w.!?;,]+){0,3}?((is|are|feels?|feel|seems?|'s|s|was|were|been)[^\w.!?;,]+)?"
    r"((totally|completely|perfectly"
    r"|all|100%|absolutely|actually|really|pretty|quite|totally)[^\w.!?;,]+)?(fine|ok|okay|normal|good"
    r"|alright|strong|unaffected)\b",
    re.I,
)
#: "strength is fine", "feeling is normal": a symptom judged fine right after it.
FINE_RIGHT_AFTER = re.compile(
    r"^[^\w.!?;,]*(is|are|feels?|seems?|'s|s)[^\w.!?;,]+((totally|completely|perfectly|all"
    r"|absolutely|actually|really|pretty|quite)[^\w.!?;,]+)?(fine|ok|okay|normal|good|alright"
    r"|strong|unaffected)\b",
    re.I,
)
#: Words right before a red flag that take it back: "not like a big crash", "she's never
#: been on steroids".
NOT_LIKE_BEFORE = re.compile(
    r"\b(not|wasn'?t|isn'?t|nothing)\s+(like\s+)?(a|an|any)?\s*(big|real|serious|bad|major"
    r"|proper|huge)?\s*$"
    r"|\b(never|not|n'?t)\s+(been|ever)?\s*(on|taken|taking|had|used|done|tried)\s+(any\s+)?$",
    re.I,
)
#: "a cancer scare, the biopsy was negative": a test ruled it out.
RULED_OUT = re.compile(
    r"\b(scare|biopsy|biopsies|tests?|scans?|screening|mammogram|colonoscopy|checked)\b[^.?!]*"
    r"\b(negative|clear|benign|fine|normal|nothing|ruled out)\b",
    re.I,
)
#: "I'm not dieting at all": weight lost without meaning to.
UNINTENDED = re.compile(
    r"(\b(not|never|without|no)|n'?t)\s+(\w+\s+){0,2}?(dieting|on a diet|diet|trying"
    r"|tried|working out|going to the gym)\b",
    re.I,
)
#: "I was pregnant", "not pregnant any more", "since the baby came": after the birth.
NO_LONGER_PREGNANT = re.compile(
    r"\b(was|were|when i was|used to be|any ?more|no longer|after (the|my) (birth|delivery|baby)"
    r"|since (the|my) (birth|delivery|baby)|postpartum|post-partum|gave birth"
    r"|had (my|the|a) baby)\b",
    re.I,
)
#: Weight lost on purpose is not unexplained weight loss.
INTENTIONAL = re.compile(
    r"\b(on purpose|intentional(ly)?|deliberately|trying to lose|dieting|diet|cutting carbs"
    r"|ozempic|working out|the gym|been trying)\b",
    re.I,
)


def clause_assertion(clause: str) -> str:
    """PRESENT, NEGATED, FAMILY, HYPOTHETICAL (a question about a risk) or HISTORICAL."""
    text = clause.strip()
    if _FAMILY.search(text):
        return FAMILY
    if _PAST.search(text) and _CLEARED.search(text):
        return HISTORICAL
    if _NEGATED.search(text):
        return NEGATED
    if _QUESTION.search(text) and not _OWN_PREMISE.search(text):
        return HYPOTHETICAL
    return PRESENT


#: Flags that can be a relative's history rather than the visitor's: "my mother had cancer".
FAMILY_HISTORY_FLAGS = frozenset({"cancer_history"})


def flag_status(flag: str, sentence: str) -> str:
    """The assertion of a red flag or condition from its whole sentence: someone else's, a
    question about a risk, an old investigated event, ruled out by a test, on purpose."""
    if flag == "cancer_history" and RULED_OUT.search(sentence):
        return NEGATED
    status = clause_assertion(sentence)
    if status == FAMILY and flag not in FAMILY_HISTORY_FLAGS:
        status = PRESENT  # "my mom had a fall": a caregiver telling the patient's own story
    if status == HISTORICAL and flag == "cancer_history":
        status = PRESENT  # treated and clear since is still a history of cancer
    if status in _NOT_OWN:
        return status
    if flag == "weight_loss" and INTENTIONAL.search(sentence) and not UNINTENDED.search(sentence):
        return NEGATED
    if flag == "pregnant" and NO_LONGER_PREGNANT.search(sentence):
        return HISTORICAL
    return PRESENT


#: Labels whose facts can be ruled out by the words after them ("my legs are fine").
_FINE_LABELS = frozenset({"side", "body_part"})
#: Assertions that make a red flag or condition not the visitor's own, current one.
_NOT_OWN = frozenset({FAMILY, HYPOTHETICAL, HISTORICAL})


def sentence_text(doc, start: int, end: int) -> str:
    """The sentence (between . ! ? ; or a new line) around tokens ``[start, end)``."""
    left, right = start, end
    while left > 0 and doc[left - 1].text.lower() not in SENTENCE_END:
        left -= 1
    while right < len(doc) and doc[right].text.lower() not in SENTENCE_END:
        right += 1
    return doc[left:right].text


class AssertionTagger:
    """spaCy pipe: ``span._.assertion`` for every fact; a fact that is not the visitor's
    own and current (someone else's, a question about a risk, an old investigated event,
    weight lost on purpose, "... is normal") is also marked ``negated`` so it never counts.
    """

    def __call__(self, doc):
        spans = list(doc.ents) + (list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else [])
        for span in spans:
            if span._.negated:
                span._.assertion = NEGATED
                continue
            status = self._status(doc, span)
            span._.assertion = status
            if status != PRESENT:
                span._.negated = True
        return doc

    @staticmethod
    def _status(doc, span) -> str:
        label = span.label_
        after = doc.text[span.end_char :]
        if label in _FINE_LABELS and FINE_AFTER.match(after):
            return NEGATED
        if label in ("symptom", "red_flag") and FINE_RIGHT_AFTER.match(after):
            return NEGATED
        if label not in ("red_flag", "condition"):
            return PRESENT
        if label == "red_flag" and NOT_LIKE_BEFORE.search(doc.text[: span.start_char]):
            return NEGATED
        return flag_status(span.id_, sentence_text(doc, span.start, span.end))


@Language.factory("backchat_assertion")
def make_assertion(nlp: Language, name: str) -> AssertionTagger:
    """Factory for :class:`AssertionTagger`."""
    return AssertionTagger()
