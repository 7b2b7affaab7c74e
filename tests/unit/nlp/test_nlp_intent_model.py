"""The linear intent model (pure) and its Rasa component, trained and loaded as Rasa does."""

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.intent_model import (
    FittedTfidf,
    IntentModel,
    IntentModelConfig,
    entity_document,
    fit_temperature,
    softmax,
)
from bot.nlp.rasa_components import ClinicalEntityExtractor, LinearIntentClassifier

EXAMPLES = {
    "greet": ["hi", "hello there", "hey", "good morning", "hiya", "hello hello"],
    "faq_hours": [
        "when are you open",
        "what are your hours",
        "are you open saturday",
        "opening hours please",
        "what time do you close",
        "are you open tonight",
    ],
    "faq_prices": [
        "how much is a session",
        "what does it cost",
        "prices please",
        "how much do you charge",
        "is it expensive",
        "what's the fee",
    ],
    "inform": [
        "my lower back hurts",
        "pain in my buttock for two weeks",
        "it goes down my left leg",
        "my back has been sore for a month",
        "no numbness in my leg",
        "sitting makes my back worse",
    ],
}


def corpus():
    texts, labels = [], []
    for intent, examples in EXAMPLES.items():
        texts += examples
        labels += [intent] * len(examples)
    docs = ["body_part" if label == "inform" else "none" for label in labels]
    return texts, docs, labels


@pytest.fixture(scope="module")
def model():
    texts, docs, labels = corpus()
    return IntentModel().fit(texts, docs, labels)


@pytest.mark.parametrize(
    ("entities", "document"),
    [
        ([], "none"),
        ([{"entity": "body_part", "value": "low_back"}], "body_part"),
        (
            [{"entity": "red_flag", "value": "fever", "role": "negated"}, {"entity": "duration"}],
            "red_flag:negated duration",
        ),
    ],
)
def test_entity_document_names_types_and_negation(entities, document):
    assert entity_document(entities) == document


def test_softmax_rows_are_probabilities_and_temperature_sharpens():
    scores = np.array([[1.0, 0.0, -1.0], [0.2, 0.1, 0.0]])
    soft, sharp = softmax(scores, 1.0), softmax(scores, 10.0)
    assert np.allclose(soft.sum(axis=1), 1.0) and np.allclose(sharp.sum(axis=1), 1.0)
    assert sharp[0, 0] > soft[0, 0] and sharp[1, 0] > soft[1, 0]


def test_fitted_temperature_recovers_the_one_the_labels_were_drawn_with():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(4000, 3))
    probabilities = softmax(scores, 2.5)
    classes = np.array(["a", "b", "c"])
    labels = np.array([rng.choice(classes, p=row) for row in probabilities])
    assert fit_temperature(scores, labels, classes) == pytest.approx(2.5, rel=0.15)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hello", "greet"),
        ("are you open on sunday", "faq_hours"),
        ("how much does a visit cost", "faq_prices"),
        ("my back is sore", "inform"),
    ],
)
def test_unseen_phrasings_get_the_right_intent(model, text, intent):
    doc = "body_part" if intent == "inform" else "none"
    [ranking] = model.rank([text], [doc])
    assert ranking[0][0] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what do I owe you for one appointment", "faq_prices"), ("howdy", "greet"), ("yo", "greet")],
)
def test_sentence_embedding_reaches_wording_the_examples_do_not_have(model, text, intent):
    texts, docs, labels = corpus()
    words_only = IntentModel(IntentModelConfig(embedding_layers=())).fit(texts, docs, labels)
    assert model.rank([text], ["none"])[0][0][0] == intent
    assert words_only.rank([text], ["none"])[0][0][0] != intent


def test_without_embedding_weight_the_encoder_is_never_called():
    def refuse(texts, layers):
        raise AssertionError("encoder called")

    texts, docs, labels = corpus()
    model = IntentModel(IntentModelConfig(embedding_layers=()), embed=refuse)
    model.fit(texts, docs, labels)
    assert model.rank(["hello"], ["none"])[0][0][0] == "greet"


def test_warm_up_asks_the_encoder_for_the_configured_layers_only():
    calls = []
    IntentModel(embed=lambda texts, layers: calls.append((list(texts), layers))).warm_up()
    IntentModel(IntentModelConfig(embedding_layers=()), embed=calls.append).warm_up()
    assert calls == [([], (6, 3))]


def test_ranking_has_every_intent_best_first_and_sums_to_one(model):
    [ranking] = model.rank(["when do you open"], ["none"])
    assert {name for name, _ in ranking} == set(EXAMPLES)
    confidences = [c for _, c in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_entity_types_are_features(model):
    [with_body_part] = model.rank(["it"], ["body_part"])
    [without] = model.rank(["it"], ["none"])
    inform = dict(with_body_part)["inform"], dict(without)["inform"]
    assert inform[0] > inform[1]


def test_calibration_sets_a_temperature_from_the_data(model):
    texts, docs, labels = corpus()
    uncalibrated = IntentModel(IntentModelConfig(calibration_folds=7)).fit(texts, docs, labels)
    assert uncalibrated.temperature == 3.0  # six examples per intent: fewer than 7 folds
    assert model.temperature != 3.0 and 0.1 <= model.temperature <= 50.0


def test_saved_model_ranks_exactly_as_before(model, tmp_path):
    model.save(tmp_path / "m.skops")
    loaded = IntentModel.load(tmp_path / "m.skops")
    texts = ["what are the hours", "my hip hurts", "hey"]
    docs = ["none", "body_part", "none"]
    assert loaded.rank(texts, docs) == model.rank(texts, docs)
    assert loaded.config == model.config and loaded.temperature == model.temperature


ODD_TEXTS = [
    "what are the hours",
    "",
    "hours hours hours hours",
    "zzzz qqqq",
    "Ça fait mal, my BACK!!",
    "howmuchisit",
    "<script>alert(1)</script> 💥",
    "how much is a session " * 40,
]


def test_fast_tfidf_gives_scikit_learns_rows(model):
    for vectorizer, texts in (
        (model.words, ODD_TEXTS),
        (model.chars, ODD_TEXTS),
        (model.entities, ["none", "body_part", "body_part red_flag:negated", "", "unknown"]),
    ):
        expected = vectorizer.transform(texts).toarray()
        assert np.allclose(FittedTfidf(vectorizer).transform(texts).toarray(), expected, atol=1e-6)


def test_fast_tfidf_refuses_a_vectorizer_it_does_not_reproduce():
    from sklearn.feature_extraction.text import TfidfVectorizer

    plain = TfidfVectorizer().fit(["back pain", "leg pain"])
    with pytest.raises(ValueError, match="sublinear"):
        FittedTfidf(plain)


@pytest.mark.parametrize("layers", [(), ((6, 2.0), (3, 1.0))])
def test_block_scores_equal_the_svms_decision_function(layers):
    texts, docs, labels = corpus()
    model = IntentModel(IntentModelConfig(embedding_layers=layers)).fit(texts, docs, labels)
    docs = ["none"] * len(ODD_TEXTS)
    features = model._features(
        (model.words, model.chars, model.entities), ODD_TEXTS, docs,
        model._embeddings(ODD_TEXTS), False,
    )  # fmt: skip
    expected = model.svm.decision_function(features)
    assert np.allclose(model.decision_scores(ODD_TEXTS, docs), expected, atol=1e-6)


def test_two_intents_rank_as_scikit_learns_binary_svm():
    texts, docs, labels = corpus()
    keep = [i for i, label in enumerate(labels) if label in ("greet", "faq_prices")]
    model = IntentModel(IntentModelConfig(embedding_layers=())).fit(
        [texts[i] for i in keep], [docs[i] for i in keep], [labels[i] for i in keep]
    )
    [ranking] = model.rank(["how much"], ["none"])
    assert ranking[0][0] == "faq_prices" and len(ranking) == 2


def test_loading_refuses_unexpected_types(tmp_path):
    path = tmp_path / "bad.skops"
    sio.dump({"svm": Fraction(1, 3)}, path)
    with pytest.raises(ValueError, match="unexpected types"):
        IntentModel.load(path)


def test_rank_before_fit_is_an_error():
    with pytest.raises(RuntimeError):
        IntentModel().rank(["hi"], ["none"])


def context():
    return ExecutionContext(GraphSchema({}), "test")


def test_component_trains_persists_loads_and_classifies(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    config = {**LinearIntentClassifier.get_default_config(), "ranking_length": 3}
    classifier = LinearIntentClassifier.create(config, storage, resource, context())
    texts, _, labels = corpus()
    data = TrainingData(
        [Message(data={TEXT: t, INTENT: i}) for t, i in zip(texts, labels, strict=False)]
    )
    classifier.train(data)

    loaded = LinearIntentClassifier.load(config, storage, resource, context())
    messages = [Message(data={TEXT: "what time do you open"}), Message(data={TEXT: ""})]
    first, empty = loaded.process(messages)
    assert first.get(INTENT)["name"] == "faq_hours"
    assert len(first.get(INTENT_RANKING_KEY)) == 3
    assert empty.get(INTENT) is None


def test_component_uses_the_clinical_entities_of_the_spacy_rules(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("linear")
    config = LinearIntentClassifier.get_default_config()
    classifier = LinearIntentClassifier.create(config, storage, resource, context())
    text = "no fever, my lower back hurts"
    training = classifier._training_entity_docs([Message(data={TEXT: text})], None)
    assert training == ["red_flag:negated body_part symptom"]
    # at run time the extractor came first: the same types, read from the message
    [extracted] = ClinicalEntityExtractor({}).process([Message(data={TEXT: text})])
    extracted.set(ENTITIES, extracted.get(ENTITIES) + [{"entity": "other", "extractor": "x"}])
    assert classifier._extracted_entity_docs([extracted]) == training


def test_untrained_component_leaves_messages_alone(tmp_path):
    config = LinearIntentClassifier.get_default_config()
    loaded = LinearIntentClassifier.load(
        config, LocalModelStorage(tmp_path), Resource("missing"), context()
    )
    [message] = loaded.process([Message(data={TEXT: "hello"})])
    assert message.get(INTENT) is None


def test_loading_a_model_keeps_the_log_level(model, tmp_path):
    # skops imports numpy.distutils, which sets the root logger to WARNING; Rasa's
    # "server is up" line (what bot.runtime.stack waits for) would then never be printed.
    model.save(tmp_path / "m.skops")
    probe = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from bot.nlp.intent_model import IntentModel\n"
        f"IntentModel.load({str(tmp_path / 'm.skops')!r})\n"
        "print(logging.getLogger().level)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == str(20)
