"""The BackChat spaCy pipeline, built once per test session (building takes seconds)."""

from functools import lru_cache

from spacy.language import Language

from bot.nlp.pipeline import build_nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """``build_nlp()``, built on first use and shared by every test afterwards."""
    return build_nlp()
