"""The sentence encoder's output, pinned: token ids and vectors computed once, kept in a fixture.

A change of tokenizer, NumPy, or the forward pass that moves any vector shows here, with
the sentence it moved. To pin a deliberate change, recompute the fixture and say why in
the commit.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from bot.nlp.sentence_encoder import MAX_TOKENS, SentenceEncoder

GOLDEN = json.loads(
    (Path(__file__).parent / "fixtures" / "sentence_encoder_golden.json").read_text("utf-8")
)
CASES = list(zip(GOLDEN["sentences"], GOLDEN["token_ids"], GOLDEN["vectors"], strict=False))


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder.load()


@pytest.mark.parametrize(("sentence", "ids", "vector"), CASES, ids=range(len(CASES)))
def test_token_ids_are_the_reference(encoder, sentence, ids, vector):
    assert encoder.tokenizer.encode(sentence, MAX_TOKENS) == ids


@pytest.mark.parametrize(("sentence", "ids", "vector"), CASES, ids=range(len(CASES)))
def test_vectors_are_the_reference(encoder, sentence, ids, vector):
    [computed] = encoder.encode([sentence], layers=GOLDEN["layers"])
    np.testing.assert_allclose(computed, vector, atol=2e-5)


def test_a_batch_gives_each_sentence_its_reference_vector():
    fresh = SentenceEncoder.load()  # no cached vectors: all four in one padded batch
    computed = fresh.encode(GOLDEN["sentences"], layers=GOLDEN["layers"])
    np.testing.assert_allclose(computed, GOLDEN["vectors"], atol=2e-5)
