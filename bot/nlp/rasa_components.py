"""Rasa 3.6 graph components wrapping the BackChat spaCy pipeline.

``config.yml`` names them by module path (importing this module also registers the spaCy
factories that ``SpacyNLP`` needs to load a saved BackChat pipeline)::

    - name: bot.nlp.rasa_components.ClinicalEntityExtractor
    - name: bot.nlp.rasa_components.SemanticRedFlagDetector
    - name: bot.nlp.rasa_components.AnswerCueExtractor
    - name: bot.nlp.rasa_components.LinearIntentClassifier
    - name: bot.nlp.rasa_components.LanguageIntentOverride
    - name: bot.nlp.rasa_components.RedFlagIntentOverride   # last
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language

from bot.nlp.answer_cues import read_cues
from bot.nlp.entities import EXTRACTOR, NEGATED_ROLE, to_rasa_entities
from bot.nlp.flag_pointers import pointed_flags
from bot.nlp.intent_model import (
    IntentModel,
    IntentModelConfig,
    encode_sentences,
    entity_document,
)
from bot.nlp.language import TextKind, classify_text
from bot.nlp.pipeline import build_nlp, is_backchat_pipeline
from bot.nlp.semantic_red_flags import (
    Finding,
    SemanticRedFlags,
    bank_digest,
    best_per_flag,
    load_bank,
)

logger = logging.getLogger(__name__)

RED_FLAG = "red_flag"
OTHER_LANGUAGE = "other_language"
NLU_FALLBACK = "nlu_fallback"
MODEL_FILE = "intent_model.skops"
SEMANTIC_FILE = "semantic_red_flags.npz"
SEMANTIC_EXTRACTOR = "SemanticRedFlagDetector"
CUE = "cue"
CUE_EXTRACTOR = "AnswerCueExtractor"
POSSIBLE_RED_FLAG = "possible_red_flag"


def read_stored(
    model_storage: ModelStorage, resource: Resource, name: str, read: Callable[[Path], Any]
) -> Any:
    """What a trained component stored as ``name``, or None when nothing was stored."""
    try:
        with model_storage.read_from(resource) as directory:
            return read(directory / name)
    except (ValueError, OSError):
        logger.debug("Nothing trained stored as %s in %s", name, resource.name)
        return None


class ConfiguredComponent(GraphComponent):
    """A component made from its config alone (``cls(config)``): nothing trained or stored."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """Creates the component (see parent class for full docstring)."""
        return cls(config)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class ClinicalEntityExtractor(ConfiguredComponent, EntityExtractorMixin):
    """Adds the BackChat clinical entities (body parts, red flags, durations...) to messages.

    If ``SpacyNLP`` ran the BackChat pipeline, its doc on the message is reused; otherwise
    (no ``SpacyNLP``, or another spaCy model) the pipeline runs here: loaded from the
    ``model`` path when configured, else built in code.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``model``: optional path of a pipeline saved by ``python -m bot.nlp.build``."""
        return {"model": None}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the config; the own pipeline is only loaded when first needed."""
        self._config = {**self.get_default_config(), **config}
        self._nlp: Optional[Language] = None

    @staticmethod
    def required_packages() -> list[str]:
        """Lists required dependencies (see parent class for full docstring)."""
        return ["spacy"]

    @property
    def nlp(self) -> Language:
        """This component's own pipeline (loaded or built on first use)."""
        if self._nlp is None:
            path = self._config.get("model")
            if path:
                import spacy

                self._nlp = spacy.load(path)
            else:
                self._nlp = build_nlp()
        return self._nlp

    def clinical_entities(self, message: Message, model: Optional[SpacyModel]) -> list[dict]:
        """The clinical entities of one message (none for a message without text)."""
        text = message.get(TEXT)
        if not text:
            return []
        if model is not None and is_backchat_pipeline(model.model):
            doc = message.get(SPACY_DOCS[TEXT])
            # SpacyNLP lower-cases by default; offsets still hold if the length is unchanged
            if doc is None or len(doc.text) != len(text) or doc.text.lower() != text.lower():
                doc = model.model(text)
        else:
            doc = self.nlp(text)
        return to_rasa_entities(doc)

    def process(self, messages: list[Message], model: Optional[SpacyModel] = None) -> list[Message]:
        """Appends the clinical entities of each message to its ``entities``."""
        for message in messages:
            extracted = self.clinical_entities(message, model)
            if extracted:
                message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True, model_from="SpacyNLP"
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Intents from words, characters, clinical entity types and sentence embeddings.

    A linear model over the features of :mod:`bot.nlp.intent_model`, without TensorFlow.
    The entity types come from the same spaCy rules as ``ClinicalEntityExtractor``: run
    here on the training examples (Rasa does not run extractors on training data), read
    from the message at run time, so the extractor must come first in the pipeline (Rasa
    cannot enforce it: the extractor has no training node for this component to require).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Hyper-parameters of :class:`bot.nlp.intent_model.IntentModelConfig`."""
        defaults = IntentModelConfig()
        return {
            "C": defaults.c,
            "word_ngrams": list(defaults.word_ngrams),
            "char_ngrams": list(defaults.char_ngrams),
            "calibration_folds": defaults.calibration_folds,
            "random_seed": defaults.random_state,
            "embedding_layers": [list(pair) for pair in defaults.embedding_layers],
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[IntentModel] = None,
    ) -> None:
        """Keeps the config, where to persist, and the trained model if there is one."""
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._entities = ClinicalEntityExtractor({})

    @staticmethod
    def required_packages() -> list[str]:
        """Lists required dependencies (see parent class for full docstring)."""
        return ["sklearn", "skops", "spacy"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """Creates an untrained component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    def _model_config(self) -> IntentModelConfig:
        return IntentModelConfig(
            c=float(self._config["C"]),
            word_ngrams=tuple(self._config["word_ngrams"]),
            char_ngrams=tuple(self._config["char_ngrams"]),
            calibration_folds=int(self._config["calibration_folds"]),
            random_state=int(self._config["random_seed"]),
            embedding_layers=tuple(
                (int(layer), float(weight)) for layer, weight in self._config["embedding_layers"]
            ),
        )

    def _training_entity_docs(
        self, messages: list[Message], model: Optional[SpacyModel]
    ) -> list[str]:
        return [entity_document(self._entities.clinical_entities(m, model)) for m in messages]

    @staticmethod
    def _extracted_entity_docs(messages: list[Message]) -> list[str]:
        return [
            entity_document([e for e in m.get(ENTITIES) or [] if e.get("extractor") == EXTRACTOR])
            for m in messages
        ]

    def train(self, training_data: TrainingData, model: Optional[SpacyModel] = None) -> Resource:
        """Fits the model on every intent example and stores it."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("LinearIntentClassifier needs two intents or more: not trained")
            return self._resource
        self._model = IntentModel(self._model_config()).fit(
            [e.get(TEXT) for e in examples],
            self._training_entity_docs(examples, model),
            [e.get(INTENT) for e in examples],
        )
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """Loads the trained model (an untrained component if there is none)."""
        model = read_stored(model_storage, resource, MODEL_FILE, IntentModel.load)
        if model is not None:
            model.warm_up()  # at server start, in every worker, not on a visitor's message
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message], model: Optional[SpacyModel] = None) -> list[Message]:
        """Sets ``intent`` and ``intent_ranking`` on every message with text.

        ``model`` is what Rasa passes to a component registered with ``model_from``; the
        entities are already on the message, so it is not needed here.
        """
        if self._model is None:
            return messages
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        rankings = self._model.rank(
            [m.get(TEXT) for m in with_text], self._extracted_entity_docs(with_text)
        )
        length = int(self._config["ranking_length"])
        for message, ranking in zip(with_text, rankings, strict=False):
            ranked = [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c} for n, c in ranking]
            message.set(INTENT, dict(ranked[0]), add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranked[:length] if length else ranked, add_to_output=True
            )
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagIntentOverride(ConfiguredComponent, IntentClassifier):
    """Deterministic red-flag screening: any non-negated ``red_flag`` entity wins the intent.

    Put it last in the pipeline (after LinearIntentClassifier and FallbackClassifier): the top
    intent becomes ``red_flag`` with confidence 1.0, first in ``intent_ranking``.
    """

    @classmethod
    def required_components(cls) -> list[type]:
        """The entity extractor must run before (graph validation enforces it)."""
        return [ClinicalEntityExtractor]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``intent``: the name of the red-flag intent in the domain."""
        return {"intent": RED_FLAG}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the config."""
        self._intent_name = {**self.get_default_config(), **config}["intent"]

    @staticmethod
    def has_red_flag(message: Message) -> bool:
        """Whether the message carries a red flag that is not negated."""
        return any(
            entity.get(ENTITY_ATTRIBUTE_TYPE) == RED_FLAG
            and entity.get(ENTITY_ATTRIBUTE_ROLE) != NEGATED_ROLE
            for entity in message.get(ENTITIES) or []
        )

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets the red-flag intent on messages with a red flag, keeping the old ranking."""
        for message in messages:
            if not self.has_red_flag(message):
                continue
            force_intent(message, self._intent_name)
            logger.debug("Red flag entity found: intent set to %s", self._intent_name)
        return messages


def force_intent(message: Message, name: str) -> None:
    """Make ``name`` the message's intent with confidence 1.0, first in the ranking."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        dict(r) for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent)] + ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageIntentOverride(ConfiguredComponent, IntentClassifier):
    """English only: another language gets its own intent, a text without words the fallback.

    Put it after the FallbackClassifier and before ``RedFlagIntentOverride`` (a red flag
    recognised in any message still wins). The rules are in :mod:`bot.nlp.language`.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Intent names for a message in another language and for one without words."""
        return {"other_language_intent": OTHER_LANGUAGE, "no_words_intent": NLU_FALLBACK}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the config."""
        config = {**self.get_default_config(), **config}
        self._intents = {
            TextKind.OTHER_LANGUAGE: config["other_language_intent"],
            TextKind.NO_WORDS: config["no_words_intent"],
        }

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets the intent of messages that are not English or have no words."""
        for message in messages:
            intent = self._intents.get(classify_text(message.get(TEXT) or ""))
            if intent:
                force_intent(message, intent)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SemanticRedFlagDetector(GraphComponent, EntityExtractorMixin):
    """The semantic red-flag layer (``bot.nlp.semantic_red_flags``) beside the rules.

    A clear finding becomes a ``red_flag`` entity (so ``RedFlagIntentOverride`` makes the
    intent ``red_flag``); a possible one a ``possible_red_flag`` entity whose
    ``additional_info`` holds the visitor's words, for the dialogue to ask about. Skipped
    when the rules already found a red flag in the message.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the bank is ``bot/nlp/red_flag_bank.yml``. Put the layer after
        ``ClinicalEntityExtractor``: a flag the rules found is not read twice."""
        return {}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> Optional[str]:
        """A new bank retrains the layer."""
        return bank_digest()

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[SemanticRedFlags] = None,
    ) -> None:
        """Keeps where to store the fitted layer."""
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SemanticRedFlagDetector:
        """An untrained layer."""
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Embeds the bank and fits the classifier (the NLU examples are not used)."""
        texts, labels = load_bank()
        self._model = SemanticRedFlags.fit(texts, labels, encode_sentences_last_layer)
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory / SEMANTIC_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SemanticRedFlagDetector:
        """Loads the fitted layer (an inactive one if there is none)."""
        model = read_stored(model_storage, resource, SEMANTIC_FILE, SemanticRedFlags.load)
        return cls(model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds red flags read in the visitor's own words."""
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or RedFlagIntentOverride.has_red_flag(message):
                continue
            found = best_per_flag(self._model.findings(text, encode_sentences_last_layer))
            if not found:  # "just the weight thing": ask about the item pointed at
                found = {flag: Finding(flag, text[start:end], start, end, 0.0, 0.0, False)
                         for flag, start, end in pointed_flags(text)}  # fmt: skip
            entities = list(message.get(ENTITIES) or [])
            possible = [f for f in found.values() if not f.clear]
            for finding in found.values():
                if finding.clear:
                    entities.append(_semantic_entity(finding, RED_FLAG))
            if possible and not any(f.clear for f in found.values()):
                best = max(possible, key=lambda f: f.probability + f.similarity)
                entities.append(_semantic_entity(best, POSSIBLE_RED_FLAG))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages


def _semantic_entity(finding: Finding, label: str) -> dict[str, Any]:
    return {
        "entity": label,
        "value": finding.flag,
        "start": finding.start,
        "end": finding.end,
        "confidence_entity": round(finding.probability, 3),
        "extractor": SEMANTIC_EXTRACTOR,
        "additional_info": {"quote": finding.clause, "similarity": round(finding.similarity, 3)},
    }


def encode_sentences_last_layer(texts: list[str]):
    """The sentence encoder's own embedding (last layer), one row per text."""
    return encode_sentences(texts, (6,))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class AnswerCueExtractor(ConfiguredComponent, EntityExtractorMixin):
    """How a message answers (``bot.nlp.answer_cues``), as ``cue`` entities over the text.

    The dialogue layer reads these instead of the text; the intent model does not see
    them (its entity features are the clinical extractor's only).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options."""
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        """Nothing to keep."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds one ``cue`` entity per cue found."""
        for message in messages:
            text = message.get(TEXT) or ""
            if not text:
                continue
            cues = [
                {
                    "entity": CUE,
                    "value": cue,
                    "start": 0,
                    "end": len(text),
                    "confidence_entity": 1.0,
                    "extractor": CUE_EXTRACTOR,
                }
                for cue in read_cues(text)
            ]
            if cues:
                message.set(ENTITIES, list(message.get(ENTITIES) or []) + cues, add_to_output=True)
        return messages
