"""``build_nlp()``: the BackChat spaCy pipeline, built in code from ``patterns/*.jsonl``.

Order: entity_ruler (atomic facts in ``doc.ents``) → backchat_filter (false friends) →
radiation_ruler (``doc.spans["backchat"]``, may overlap the entities) → backchat_duration →
backchat_negation → backchat_assertion → backchat_red_flag_rules. No model is downloaded:
``spacy.blank("en")``.

Importing this module registers every factory, so ``spacy.load`` of a saved pipeline works
in any process that imported it (Rasa does, through ``bot.nlp.rasa_components``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language

# imported for their @Language.factory side effect
from bot.nlp import assertion, duration, filters, negation, red_flag_rules  # noqa: F401
from bot.nlp.extensions import SPANS_KEY

PATTERNS_DIR = Path(__file__).parent / "patterns"
#: Labels matched by the span ruler (overlapping) instead of the entity ruler.
SPAN_LABELS = frozenset({"radiation"})
PIPELINE_NAME = "backchat_clinical"
PIPELINE_VERSION = "1.0.0"
#: Pipe names that mark a pipeline as ours (see ``is_backchat_pipeline``).
MARKER_PIPES = ("backchat_negation", "backchat_red_flag_rules")

Pattern = dict[str, Any]


def load_patterns(directory: Path = PATTERNS_DIR) -> tuple[list[Pattern], list[Pattern]]:
    """(entity patterns, span patterns) from every ``*.jsonl`` file, in file-name order."""
    ents: list[Pattern] = []
    spans: list[Pattern] = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for pattern in srsly.read_jsonl(path):
            (spans if pattern["label"] in SPAN_LABELS else ents).append(pattern)
    return ents, spans


def build_nlp(patterns_dir: Path = PATTERNS_DIR) -> Language:
    """A fresh blank-English pipeline with the BackChat rules and components."""
    ent_patterns, span_patterns = load_patterns(patterns_dir)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True})
    ruler.add_patterns(ent_patterns)
    nlp.add_pipe("backchat_filter")
    span_ruler = nlp.add_pipe(
        "span_ruler",
        name="radiation_ruler",
        config={
            "spans_key": SPANS_KEY,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "phrase_matcher_attr": "LOWER",
            "validate": True,
            "scorer": {
                "@scorers": "spacy.overlapping_labeled_spans_scorer.v1",
                "spans_key": SPANS_KEY,
            },
        },
    )
    span_ruler.add_patterns(span_patterns)
    nlp.add_pipe("backchat_duration")
    nlp.add_pipe("backchat_negation")
    nlp.add_pipe("backchat_assertion")
    nlp.add_pipe("backchat_red_flag_rules")
    nlp.meta.update(
        name=PIPELINE_NAME,
        version=PIPELINE_VERSION,
        description="BackChat rule-based clinical entities (blank en + rules, no vectors)",
    )
    return nlp


def is_backchat_pipeline(nlp: Language) -> bool:
    """Whether ``nlp`` runs the BackChat components (built here or loaded from disk)."""
    return all(name in nlp.pipe_names for name in MARKER_PIPES)
