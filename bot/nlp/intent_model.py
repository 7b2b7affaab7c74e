"""Intent model: a linear SVM over words, characters, entity types and sentence meaning.

Pure scikit-learn and NumPy, no Rasa import (:mod:`bot.nlp.rasa_components` wraps it).
Each message is four vectors side by side:

- words and word pairs ("can I call you" is not "can you call me", "no fever");
- character n-grams inside words (typos, "physio"/"physiotherapy", "hrs");
- the types of the clinical entities the spaCy rules found, with their negation
  (``body_part``, ``duration``, ``red_flag:negated``...): "no numbness down my leg" is an
  answer about symptoms whatever its words;
- the all-MiniLM-L6-v2 sentence embedding, and the same pooling of its third layer
  (:mod:`bot.nlp.sentence_encoder`): "how do I find you" is near "where are you located"
  without a word in common.

A one-vs-rest linear SVM picks the intent. Its scores become confidences with one
temperature, fitted on out-of-fold scores so that they behave like probabilities (the
Rasa ``FallbackClassifier`` threshold and the ranking use them).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from bot.nlp.sentence_encoder import shared_encoder

Ranking = list[tuple[str, float]]
# What a saved model may contain besides scikit-learn's own types (skops refuses others).
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]
DEFAULT_TEMPERATURE = 3.0
NO_ENTITIES = "none"


@dataclass(frozen=True)
class IntentModelConfig:
    """Hyper-parameters (chosen by 5-fold cross-validation, docs/nlu.md)."""

    c: float = 1.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    calibration_folds: int = 3
    random_state: int = 7
    # (encoder layer, weight): each layer's mean-pooled unit vector, scaled against the
    # TF-IDF blocks. Layer 6 is the sentence embedding; layer 3 added 0.9 points of
    # cross-validated macro-F1. Empty: no embedding (and the encoder is never loaded).
    embedding_layers: tuple[tuple[int, float], ...] = ((6, 2.0), (3, 1.0))


def entity_document(entities: Sequence[dict]) -> str:
    """``[{entity: body_part}, {entity: red_flag, role: negated}]`` -> "body_part red_flag:negated".

    A message without entities is the word ``none`` (itself a useful feature).
    """
    words = []
    for entity in entities:
        role = entity.get("role")
        words.append(f"{entity['entity']}:{role}" if role else str(entity["entity"]))
    return " ".join(words) or NO_ENTITIES


def per_class_columns(scores: np.ndarray) -> np.ndarray:
    """One column per class: scikit-learn gives a binary SVM's scores as one column."""
    scores = np.asarray(scores)
    if scores.ndim == 1:
        scores = scores[:, None]
    return np.concatenate([-scores, scores], axis=1) if scores.shape[1] == 1 else scores


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of ``temperature * scores``."""
    scaled = temperature * scores
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, labels: np.ndarray, classes: np.ndarray) -> float:
    """The temperature that makes softmax(scores) best predict the true labels (log loss)."""
    index = {label: i for i, label in enumerate(classes)}
    truth = np.array([index[label] for label in labels])

    def log_loss(temperature: float) -> float:
        probabilities = softmax(scores, temperature)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(probabilities, 1e-12, None)).mean())

    return float(minimize_scalar(log_loss, bounds=(0.1, 50.0), method="bounded").x)


def _skops_io():
    """``skops.io``, imported without losing the log level.

    Importing it loads ``numpy.distutils``, which sets the root logger to WARNING: Rasa's
    INFO lines (among them "Rasa server is up and running", which ``bot.runtime.stack`` waits for)
    would vanish once the model is loaded.
    """
    root = logging.getLogger()
    level = root.level
    try:
        import skops.io as sio
    finally:
        root.setLevel(level)
    return sio


Embedder = Callable[[Sequence[str], Sequence[int]], np.ndarray]


class FittedTfidf:
    """A fitted ``TfidfVectorizer``'s ``transform`` for a few texts, without its overhead.

    scikit-learn's ``transform`` spends more time validating and converting than the work
    for one chat message takes (docs/performance.md). Same analyzer, vocabulary and idf,
    same sublinear tf and L2 norm (``tests/unit/nlp/test_nlp_intent_model.py`` compares the two).
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        if not vectorizer.sublinear_tf or vectorizer.norm != "l2" or vectorizer.binary:
            raise ValueError("FittedTfidf reproduces sublinear tf with L2 norm only")
        self.analyzer = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_.astype(np.float64)
        self.width = len(self.vocabulary)

    def transform(self, documents: Sequence[str]) -> csr_matrix:
        """One L2-normalised row of sublinear tf x idf per document."""
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for document in documents:
            counts = Counter(
                self.vocabulary[term] for term in self.analyzer(document) if term in self.vocabulary
            )
            columns = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            values = (1.0 + np.log([counts[c] for c in columns])) * self.idf[columns]
            norm = np.sqrt(np.dot(values, values))
            indices.extend(columns.tolist())
            data.extend((values / norm if norm else values).tolist())
            indptr.append(len(indices))
        shape = (len(documents), self.width)
        return csr_matrix((np.asarray(data, np.float32), indices, indptr), shape=shape)


def encode_sentences(texts: Sequence[str], layers: Sequence[int]) -> np.ndarray:
    """Pooled layers of the process's shared sentence encoder, side by side."""
    return shared_encoder().encode(texts, layers)


class IntentModel:
    """Train with :meth:`fit`, rank intents with :meth:`rank`, persist with skops."""

    def __init__(
        self, config: IntentModelConfig = IntentModelConfig(), embed: Embedder = encode_sentences
    ) -> None:
        self.config = config
        self.embed = embed
        self.words: TfidfVectorizer | None = None
        self.chars: TfidfVectorizer | None = None
        self.entities: TfidfVectorizer | None = None
        self.svm: LinearSVC | None = None
        self.temperature = DEFAULT_TEMPERATURE
        self._scorer: tuple | None = None  # built from the fitted parts on first rank

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
        common = dict(sublinear_tf=True, dtype=np.float32)
        return (
            TfidfVectorizer(
                ngram_range=self.config.word_ngrams, token_pattern=r"(?u)\b\w+\b", **common
            ),
            TfidfVectorizer(analyzer="char_wb", ngram_range=self.config.char_ngrams, **common),
            TfidfVectorizer(token_pattern=r"\S+", lowercase=False, **common),
        )

    def _svm(self) -> LinearSVC:
        return LinearSVC(
            C=self.config.c, class_weight="balanced", random_state=self.config.random_state
        )

    def _embeddings(self, texts: Sequence[str]) -> np.ndarray | None:
        if not self.config.embedding_layers:
            return None
        layers, weights = zip(*self.config.embedding_layers, strict=False)
        vectors = self.embed(list(texts), layers)
        width = vectors.shape[1] // len(layers)
        return vectors * np.repeat(np.asarray(weights, dtype=np.float32), width)

    @staticmethod
    def _features(
        vectorizers,
        texts: Sequence[str],
        entity_docs: Sequence[str],
        embeddings: np.ndarray | None,
        fit: bool,
    ):
        words, chars, entities = vectorizers
        columns = [
            (v.fit_transform if fit else v.transform)(data)
            for v, data in ((words, texts), (chars, texts), (entities, entity_docs))
        ]
        if embeddings is not None:
            columns.append(csr_matrix(embeddings))
        return csr_matrix(hstack(columns))

    def fit(self, texts: Sequence[str], entity_docs: Sequence[str], labels: Sequence[str]):
        """Trains on every example, then fits the temperature on out-of-fold scores."""
        texts, entity_docs, labels = list(texts), list(entity_docs), np.asarray(labels)
        embeddings = self._embeddings(texts)
        self.words, self.chars, self.entities = self._vectorizers()
        vectorizers = (self.words, self.chars, self.entities)
        features = self._features(vectorizers, texts, entity_docs, embeddings, True)
        self.svm = self._svm().fit(features, labels)
        self.temperature = self._calibrate(texts, entity_docs, embeddings, labels)
        self._scorer = None
        return self

    def _calibrate(
        self,
        texts: list[str],
        entity_docs: list[str],
        embeddings: np.ndarray | None,
        labels: np.ndarray,
    ) -> float:
        folds = self.config.calibration_folds
        _, counts = np.unique(labels, return_counts=True)
        if len(counts) < 2 or counts.min() < folds:
            return DEFAULT_TEMPERATURE
        classes = self.svm.classes_
        scores = np.zeros((len(labels), len(classes)), dtype=np.float64)
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.config.random_state)
        for train, test in splitter.split(texts, labels):
            vectorizers = self._vectorizers()
            pick = lambda rows, items: [items[i] for i in rows]  # noqa: E731
            rows_of = lambda rows: None if embeddings is None else embeddings[rows]  # noqa: E731
            x_train = self._features(
                vectorizers, pick(train, texts), pick(train, entity_docs), rows_of(train), True
            )
            svm = self._svm().fit(x_train, labels[train])
            x_test = self._features(
                vectorizers, pick(test, texts), pick(test, entity_docs), rows_of(test), False
            )
            fold_scores = per_class_columns(svm.decision_function(x_test))
            for column, label in enumerate(svm.classes_):
                scores[test, np.searchsorted(classes, label)] = fold_scores[:, column]
        return fit_temperature(scores, labels, classes)

    def warm_up(self) -> None:
        """Prepares what ranking needs (the sentence encoder, the fast scoring) now."""
        if self.svm is not None:
            self._scoring_parts()
        if self.config.embedding_layers:
            self.embed([], tuple(layer for layer, _ in self.config.embedding_layers))

    def _scoring_parts(self) -> tuple:
        """Fast transforms, and the SVM's weights split into sparse and embedding columns."""
        if self._scorer is None:
            transforms = tuple(FittedTfidf(v) for v in (self.words, self.chars, self.entities))
            sparse_width = sum(t.width for t in transforms)
            coef = np.asarray(self.svm.coef_, dtype=np.float64)
            self._scorer = (
                transforms,
                np.ascontiguousarray(coef[:, :sparse_width].T),
                np.ascontiguousarray(coef[:, sparse_width:].T),
                np.asarray(self.svm.intercept_, dtype=np.float64),
            )
        return self._scorer

    def decision_scores(self, texts: Sequence[str], entity_docs: Sequence[str]) -> np.ndarray:
        """The SVM's decision function, computed block by block (same numbers, faster)."""
        (words, chars, entities), sparse_weights, dense_weights, intercept = self._scoring_parts()
        texts = list(texts)
        sparse = hstack(
            [words.transform(texts), chars.transform(texts), entities.transform(entity_docs)],
            format="csr",
        )
        scores = np.asarray(sparse @ sparse_weights) + intercept
        embeddings = self._embeddings(texts)
        if embeddings is not None:
            scores = scores + embeddings @ dense_weights
        return scores

    def rank(self, texts: Sequence[str], entity_docs: Sequence[str]) -> list[Ranking]:
        """For each message, every intent with its confidence, best first."""
        if self.svm is None:
            raise RuntimeError("IntentModel.rank before fit or load")
        scores = per_class_columns(self.decision_scores(texts, list(entity_docs)))
        probabilities = softmax(scores, self.temperature)
        rankings = []
        for row in probabilities:
            order = np.argsort(-row, kind="stable")
            rankings.append([(str(self.svm.classes_[i]), float(row[i])) for i in order])
        return rankings

    def save(self, path: Path) -> None:
        """Writes the model with skops (no pickle)."""
        sio = _skops_io()

        parts = {
            "words": self.words,
            "chars": self.chars,
            "entities": self.entities,
            "svm": self.svm,
            "temperature": self.temperature,
            "config": {
                "c": self.config.c,
                "word_ngrams": list(self.config.word_ngrams),
                "char_ngrams": list(self.config.char_ngrams),
                "calibration_folds": self.config.calibration_folds,
                "random_state": self.config.random_state,
                "embedding_layers": [list(pair) for pair in self.config.embedding_layers],
            },
        }
        sio.dump(parts, path)

    @classmethod
    def load(cls, path: Path, embed: Embedder = encode_sentences) -> IntentModel:
        """Reads a model saved by :meth:`save`; refuses files holding unexpected types."""
        sio = _skops_io()

        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ValueError(f"{path} holds unexpected types: {untrusted}")
        parts = sio.load(path, trusted=TRUSTED_TYPES)
        settings = dict(parts["config"])
        settings["word_ngrams"] = tuple(settings["word_ngrams"])
        settings["char_ngrams"] = tuple(settings["char_ngrams"])
        settings["embedding_layers"] = tuple(
            (int(layer), float(weight)) for layer, weight in settings["embedding_layers"]
        )
        model = cls(IntentModelConfig(**settings), embed)
        model.words, model.chars, model.entities = parts["words"], parts["chars"], parts["entities"]
        model.svm, model.temperature = parts["svm"], float(parts["temperature"])
        return model
