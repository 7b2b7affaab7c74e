"""Custom spaCy attributes set by the BackChat components (registered once, on import)."""

from __future__ import annotations

from spacy.tokens import Span

#: Span group holding facts that may overlap ``doc.ents`` (radiation, derived red flags).
SPANS_KEY = "backchat"

_SPAN_EXTENSIONS = {
    "negated": False,  # set by backchat_negation
    "days": None,  # set by backchat_duration (float)
    "recurrent": False,  # set by backchat_duration
    "approximate": False,  # set by backchat_duration
    "assertion": "present",  # set by backchat_assertion (bot.nlp.assertion)
}


def register_extensions() -> None:
    """Register the span attributes; safe to call any number of times."""
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
