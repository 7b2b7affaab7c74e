"""``to_rasa_entities(doc)``: the pipeline's facts as Rasa entity dicts (pure)."""

from __future__ import annotations

import math
import re
from typing import Any

from spacy.tokens import Doc, Span

from bot.nlp.assertion import FAMILY, HISTORICAL, clause_assertion, sentence_text
from bot.nlp.clauses import SENTENCE_END
from bot.nlp.extensions import SPANS_KEY
from bot.nlp.numbers import parse_age

EXTRACTOR = "ClinicalEntityExtractor"
NEGATED_ROLE = "negated"
#: A person named is the subject when a verb follows: "my son has...", not "helping my son".
SUBJECT_VERB_AFTER = re.compile(
    r"^\W*(\w+\W+){0,2}?(has|have|is|'s|s|hurt|hurts|complains?|keeps|was|got|gets|says|said"
    r"|can'?t|cannot|woke|came)\b",
    re.I,
)
#: "my son Liam is 24", "my daughter, 12,": the age right after the person named.
AGE_AFTER_PERSON = re.compile(
    r"^(?:\W*(?:\w+\W+)?(?:is|who is|aged|age)\W*|\s*,\s*)(\d{1,2})\b", re.I
)
#: "both sides of my back", "both side of waist": a side said of the back itself.
OF_THE_BACK_AFTER = re.compile(
    r"^\W*(sides?\W+)?(of\W+)?(my\W+|the\W+|his\W+|her\W+)?(lower\W+|low\W+)?"
    r"(back|waist|spine|lumbar|kamar)\b",
    re.I,
)
#: "a few weeks", "several months": an amount that can fall either side of a class boundary.
VAGUE_AMOUNT = re.compile(r"\b(few|several|some|couple of months|many)\b", re.I)
#: "years ago", "a few years back": when something happened.
POINT_IN_TIME = re.compile(r"\bago\s*$", re.I)
POINT_IN_TIME_AFTER = re.compile(r"^\s*(ago|back)\b", re.I)
#: Words that make a duration the pain's own span of time ("for 3 weeks", "since Monday",
#: "about a month", "2 weeks ago", "3 weeks now"), unlike "I spent two days on a mattress".
ANCHORED = re.compile(
    r"^(for|since|from|past|last|about|around|almost|nearly|over|roughly|approx\w*|maybe"
    r"|like|~|on|this|these|a good|at least)\b|\b(ago|now|already|back)$",
    re.I,
)
ANCHOR_BEFORE = re.compile(
    r"\b(for|past|last|since|about|been|had it|had this)\s+(like\s+|about\s+|around\s+"
    r"|maybe\s+|almost\s+|nearly\s+|over\s+|roughly\s+|the\s+(past|last)\s+)?$",
    re.I,
)
ANCHOR_AFTER = re.compile(r"^\s*(ago|now|already|back|straight|running)\b", re.I)
#: "not 2 weeks": a duration the visitor rules out.
NOT_BEFORE = re.compile(r"\bnot\s+$", re.I)


def is_subject(text_after: str) -> bool:
    """Whether the words after a person make them the subject of the sentence."""
    return bool(SUBJECT_VERB_AFTER.match(text_after))


Entity = dict[str, Any]


def _entity(span: Span, label: str, value: str | int) -> Entity:
    return {
        "entity": label,
        "value": value,
        "start": span.start_char,
        "end": span.end_char,
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR,
    }


def _round_days(days: float) -> int:
    return int(math.floor(days + 0.5))


def _anchored(span: Span) -> bool:
    """Whether words in or around the duration tie it to the pain's span of time."""
    text = span.doc.text
    return bool(
        ANCHORED.search(span.text.strip())
        or ANCHOR_BEFORE.search(text[: span.start_char])
        or ANCHOR_AFTER.match(text[span.end_char :])
    )


def _old_investigated(span: Span) -> bool:
    """ "a scan for back pain years ago was fine", "fell off my bike a few years back,
    x-rays were fine", "his brother had a tumour years ago": when an old, investigated
    event or someone else's illness happened, not how long the pain has lasted."""
    after = span.doc.text[span.end_char :]
    if not (POINT_IN_TIME.search(span.text) or POINT_IN_TIME_AFTER.match(after)):
        return False
    sentence = sentence_text(span.doc, span.start, span.end)
    return clause_assertion(sentence) in (HISTORICAL, FAMILY)


def _from_span(span: Span) -> list[Entity]:
    label = span.label_
    if label == "duration":
        days = span._.days if span._.days is not None else 0.0
        entity = _entity(span, label, _round_days(days))
        entity["additional_info"] = {
            "days": days,
            "approximate": bool(span._.approximate),
            "recurrent": bool(span._.recurrent),
            "anchored": _anchored(span),
            "vague": bool(VAGUE_AMOUNT.search(span.text)),
        }
        if NOT_BEFORE.search(span.doc.text[: span.start_char]) or _old_investigated(span):
            entity["role"] = NEGATED_ROLE
        return [entity]
    if label == "age":
        age = parse_age(span.text)
        return [] if age is None else [_entity(span, label, age)]
    out = []
    if span._.negated and label == "radiation" and span.id_ == "leg":
        out.append(_entity(span, label, "none"))  # "doesn't go down my leg"
    else:
        entity = _entity(span, label, span.id_ or span.text.lower())
        if span._.negated:
            entity["role"] = NEGATED_ROLE
        out.append(entity)
    if label == "side" and span.id_ == "both":
        of_back = bool(OF_THE_BACK_AFTER.match(span.doc.text[span.end_char :]))
        out[-1]["additional_info"] = {"of_back": of_back}
    if label == "subject":
        after = span.doc.text[span.end_char :]
        out[-1]["additional_info"] = {"is_subject": is_subject(after)}
        age = parse_age(span.text)  # "my 10 year old"
        stated = AGE_AFTER_PERSON.match(after)
        if age is None and stated:  # "my son Liam is 24"
            age = int(stated.group(1))
        if age is not None:
            out.append(_entity(span, "age", age))
    return out


PAIN_LABELS = frozenset({"symptom", "body_part", "condition", "radiation", "pain_pattern"})


def _mark_durations_about_pain(doc: Doc, entities: list[Entity]) -> None:
    """``additional_info.about_pain``: the duration's sentence also names the pain ("aching
    for 1.5 months"), unlike "I've lost 8 kg since September"."""
    bounds = [0] + [t.idx + 1 for t in doc if t.text in SENTENCE_END] + [len(doc.text) + 1]
    pain = [e for e in entities if e["entity"] in PAIN_LABELS and "role" not in e]
    for entity in entities:
        if entity["entity"] != "duration":
            continue
        start = max(b for b in bounds if b <= entity["start"])
        end = min(b for b in bounds if b > entity["start"])
        entity["additional_info"]["about_pain"] = any(start <= p["start"] < end for p in pain)


def to_rasa_entities(doc: Doc) -> list[Entity]:
    """Entities from ``doc.ents`` and ``doc.spans["backchat"]``, in text order.

    Values are canonical ids, int days for ``duration`` (details in ``additional_info``)
    and int years for ``age``. Negated facts carry ``"role": "negated"``. A recurrent
    duration adds ``pain_pattern: recurrent`` unless the text already gave one.
    """
    spans = list(doc.ents) + (list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else [])
    entities: list[Entity] = []
    for span in spans:
        entities.extend(_from_span(span))
    _mark_durations_about_pain(doc, entities)
    has_recurrent = any(
        e["entity"] == "pain_pattern" and e["value"] == "recurrent" and "role" not in e
        for e in entities
    )
    for span in spans:
        if span.label_ == "duration" and span._.recurrent and not has_recurrent:
            entities.append(_entity(span, "pain_pattern", "recurrent"))
            has_recurrent = True
    return sorted(entities, key=lambda e: (e["start"], e["end"], e["entity"]))
