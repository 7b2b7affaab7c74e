"""The semantic red-flag layer on the real sentence encoder and the shipped bank."""

from __future__ import annotations

import pytest

from bot.dialogue.confirmations import QUESTIONS, confirmation
from bot.nlp.intent_model import encode_sentences
from bot.nlp.semantic_red_flags import SemanticRedFlags, best_per_flag, clauses, load_bank
from bot.triage import RED_FLAGS


def embed(texts):
    return encode_sentences(list(texts), (6,))


@pytest.fixture(scope="module")
def layer():
    texts, labels = load_bank()
    return SemanticRedFlags.fit(texts, labels, embed)


def flags_in(layer, text):
    return best_per_flag(layer.findings(text, embed))


def test_the_bank_names_only_known_flags_and_has_negatives():
    texts, labels = load_bank()
    assert set(labels) - {"none"} <= set(RED_FLAGS)
    assert labels.count("none") >= 200 and len(texts) == len(set(texts))


def test_every_flag_of_the_bank_has_a_question():
    _, labels = load_bank()
    assert set(labels) - {"none"} <= set(QUESTIONS)


def test_clauses_split_a_story_and_keep_offsets():
    text = "Lifted drywall all day. Then my chest got tight, but my back is the worst"
    parts = clauses(text)
    assert [c for c, _, _ in parts] == [
        "Lifted drywall all day",
        "Then my chest got tight",
        "but my back is the worst",
    ]
    assert all(text[start:end] == clause for clause, start, end in parts)


@pytest.mark.parametrize(
    "text, flag",
    [
        ("i keep not making it to the toilet in time lately", "bladder_dysfunction"),
        ("i get this crushing pressure in my chest going up into my jaw", "chest_pain"),
        ("my foot slaps down on the floor when i walk", "leg_weakness"),
        (
            "My grandmother sat down too hard on a kitchen chair on Sunday and since then she's "
            "had sharp pain in her low back. She has osteoporosis.",
            "osteoporosis_fall",
        ),
    ],
)
def test_lay_words_are_read_as_the_flag(layer, text, flag):
    assert flag in flags_in(layer, text)


@pytest.mark.parametrize(
    "text",
    [
        "no problems with my bladder or bowels",
        "my mother had breast cancer",
        "can acupuncture give me an infection?",
        "both my legs are fine",
        "I did have a prostate cancer scare last year but the biopsy was negative.",
        "my lower back aches when i sit at my desk",
        "She does have osteoporosis but she hasn't fallen or had any injury.",
    ],
)
def test_denied_other_peoples_and_ordinary_words_raise_no_clear_flag(layer, text):
    assert not any(f.clear for f in flags_in(layer, text).values())


def test_a_confirmation_quotes_the_visitor_and_names_the_flag():
    slots = confirmation("leg_weakness", "my foot smacks down when I walk " * 10)
    assert slots["pending_red_flag"] == "leg_weakness"
    assert slots["pending_red_flag_quote"].startswith("my foot smacks down")
    assert len(slots["pending_red_flag_quote"]) <= 120
    assert "weaker" in slots["pending_red_flag_question"]
    assert confirmation("not_a_flag", "x") == {}
