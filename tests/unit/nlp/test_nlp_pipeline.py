"""The pipeline as a whole: pattern data, build/save/load round trip, fuzzing."""

import itertools
from collections import defaultdict

import pytest
import spacy
import srsly
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher, PhraseMatcher

from bot.nlp import build
from bot.nlp.entities import to_rasa_entities
from bot.nlp.pipeline import PATTERNS_DIR, is_backchat_pipeline, load_patterns
from tests.support.nlp import shared_nlp as nlp

IDS = {
    "body_part": {"low_back", "buttock", "hip", "thigh", "knee", "calf", "shin", "ankle", "foot",
                  "toes", "leg", "groin", "neck", "upper_back", "shoulder", "chest", "abdomen",
                  "head"},
    "side": {"left", "right", "both", "central"},
    "symptom": {"pain", "numbness", "tingling", "weakness", "burning", "shooting", "stiffness",
                "spasm"},
    "aggravator": {"sitting", "bending", "coughing", "standing", "walking", "lifting", "lying"},
    "pain_pattern": {"recurrent", "constant"},
    "red_flag": {"bladder_dysfunction", "bowel_dysfunction", "saddle_numbness",
                 "bilateral_leg_symptoms", "leg_weakness", "sexual_dysfunction", "major_trauma",
                 "chest_pain", "fainting", "fever", "feeling_unwell", "recent_infection",
                 "iv_drug_use", "immunosuppression", "cancer_history", "weight_loss", "night_pain",
                 "osteoporosis_fall", "steroid_use"},
    "radiation": {"buttock", "thigh", "below_knee", "foot", "leg", "none"},
    "subject": {"child"},
    "age": {"age"},
    "condition": {"sciatica", "piriformis", "osteoporosis", "disc", "pregnant", "hip_joint"},
    "false_friend": {"false_friend"},
}  # fmt: skip

CORPUS = [
    "My lower back is killing me, shooting down my left leg to the foot for 3 wks.",
    "no fever but I can't pee since yesterday",
    "I'm 67, on and off for years, worse sitting and driving",
    "numbness in both legs and my foot drags",
    "it stays in my back, no numbness: none, tingling - no",
    "my son (14) hurt his bum playing rugby a couple of months ago",
    "I had a scan for cancer, it was clear. Pain since christmas.",
    "I have osteoporosis and fell off a chair last week",
    "",
    "   ",
    "🙂 back 🙂 pain",
    "NUMB AROUND MY PRIVATES",
]


def test_pattern_files_are_valid_jsonl_with_known_labels_and_ids():
    files = sorted(PATTERNS_DIR.glob("*.jsonl"))
    assert files
    for path in files:
        for line in srsly.read_jsonl(path):
            assert set(line) == {"label", "pattern", "id"}, path
            assert line["id"] in IDS[line["label"]], (path, line)
            assert isinstance(line["pattern"], (str, list)) and line["pattern"]


def test_every_canonical_id_has_a_pattern_except_derived_ones():
    ents, spans = load_patterns()
    have = defaultdict(set)
    for pattern in ents + spans:
        have[pattern["label"]].add(pattern["id"])
    for label, ids in IDS.items():
        assert ids <= have[label], (label, ids - have[label])


def test_radiation_goes_to_the_span_layer():
    ents, spans = load_patterns()
    assert {p["label"] for p in spans} == {"radiation"}
    assert "radiation" not in {p["label"] for p in ents}


def _samples(pattern):
    """A few strings each token pattern matches (first alternatives, optionals on/off)."""
    if isinstance(pattern, str):
        return [pattern]
    choices = []
    for token in pattern:
        words = token.get("LOWER")
        words = [words] if isinstance(words, str) else (words or {}).get("IN")
        if not words:
            return []
        alternatives = words if len(pattern) == 1 else words[:2]
        choices.append(([""] if token.get("OP") in ("?", "*") else []) + alternatives)
    combos = itertools.islice(itertools.product(*choices), 400)
    return [" ".join(w for w in combo if w) for combo in combos]


def test_no_two_entity_patterns_claim_the_same_span_with_different_meanings():
    """The ruler breaks exact ties arbitrarily: two meanings for one span would be a coin toss."""
    ents, _ = load_patterns()
    blank = spacy.blank("en")
    matcher, phrases = Matcher(blank.vocab), PhraseMatcher(blank.vocab, attr="LOWER")
    for p in ents:
        key = f"{p['label']}|{p['id']}"
        if isinstance(p["pattern"], str):
            phrases.add(key, [blank.make_doc(p["pattern"])])
        else:
            matcher.add(key, [p["pattern"]])
    texts = sorted({s for p in ents for s in _samples(p["pattern"]) if s} | set(CORPUS))
    clashes = set()
    for doc in blank.pipe(texts):
        meanings = defaultdict(set)
        for match_id, start, end in list(matcher(doc)) + list(phrases(doc)):
            meanings[(start, end)].add(blank.vocab.strings[match_id])
        clashes |= {
            (doc[s:e].text, tuple(sorted(v))) for (s, e), v in meanings.items() if len(v) > 1
        }
    assert not clashes


def test_pipeline_components_in_order():
    assert nlp().pipe_names == [
        "entity_ruler",
        "backchat_filter",
        "radiation_ruler",
        "backchat_duration",
        "backchat_negation",
        "backchat_assertion",
        "backchat_red_flag_rules",
    ]
    assert is_backchat_pipeline(nlp())
    assert not is_backchat_pipeline(spacy.blank("en"))


def _entities(model, text):
    return [
        (e["entity"], e["value"], e["start"], e["end"], e.get("role"))
        for e in to_rasa_entities(model(text))
    ]


def test_round_trip_to_disk_and_spacy_load(tmp_path):
    nlp().to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp().pipe_names
    for text in CORPUS:
        assert _entities(loaded, text) == _entities(nlp(), text)


def test_build_cli_writes_a_model_rasa_can_load(tmp_path, capsys):
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    out = tmp_path / "backchat_en"
    assert build.main([str(out)]) == 0
    assert "backchat_clinical" in capsys.readouterr().out
    loaded = SpacyNLP.load_model(str(out))  # what Rasa's SpacyNLP does, version check included
    SpacyNLP.ensure_proper_language_model(loaded.model)
    assert is_backchat_pipeline(loaded.model)
    assert ("red_flag", "bladder_dysfunction") in {
        (e[0], e[1]) for e in _entities(loaded.model, "i can't pee")
    }


def test_lower_cased_text_gives_the_same_entities():
    """Rasa's SpacyNLP lower-cases the text by default."""
    for text in CORPUS:
        strip = [e[:2] + e[4:] for e in _entities(nlp(), text)]
        assert [e[:2] + e[4:] for e in _entities(nlp(), text.lower())] == strip


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_valid_entities(text):
    for entity in to_rasa_entities(nlp()(text)):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        assert entity["entity"] in IDS or entity["entity"] == "duration"
        if entity["entity"] == "duration":
            assert isinstance(entity["value"], int) and entity["value"] >= 0
        if entity["entity"] == "age":
            assert isinstance(entity["value"], int) and 0 < entity["value"] < 120


CLINICAL_WORDS = st.sampled_from(
    ["no", "not", "never", "but", "both", "left", "right", "legs", "leg", "numb", "pain",
     "can't", "pee", "fever", "for", "3", "weeks", "since", "christmas", "my", "back", "down",
     "to", "the", "foot", ",", ".", ":", "-", "and", "I", "don't", "have", "cancer", "scan",
     "clear", "osteoporosis", "fell", "I'm", "14", "son", "on", "off", "years", "wipe"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(CLINICAL_WORDS, max_size=14))
def test_clinical_word_salad_never_raises(words):
    text = " ".join(words)
    for entity in to_rasa_entities(nlp()(text)):
        assert text[entity["start"] : entity["end"]]
        assert entity.get("role") in (None, "negated")


@pytest.mark.parametrize("text", CORPUS)
def test_pipe_and_call_agree(text):
    [piped] = list(nlp().pipe([text]))
    assert to_rasa_entities(piped) == to_rasa_entities(nlp()(text))
