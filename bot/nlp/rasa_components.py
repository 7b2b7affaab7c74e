"""Rasa 3.6 graph components wrapping the BackChat spaCy pipeline.

``config.yml`` names them by module path (importing this module also registers the spaCy
factories that ``SpacyNLP`` needs to load a saved BackChat pipeline)::

    - name: bot.nlp.rasa_components.ClinicalEntityExtractor
    - name: bot.nlp.rasa_components.LanguageIntentOverride
    - name: bot.nlp.rasa_components.RedFlagIntentOverride   # last
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Type

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
from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp.entities import NEGATED_ROLE, to_rasa_entities
from bot.nlp.language import TextKind, classify_text
from bot.nlp.pipeline import build_nlp, is_backchat_pipeline

logger = logging.getLogger(__name__)

RED_FLAG = "red_flag"
OTHER_LANGUAGE = "other_language"
NLU_FALLBACK = "nlu_fallback"


class ConfiguredComponent(GraphComponent):
    """A component made from its config alone (``cls(config)``): nothing trained or stored."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
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
    def get_default_config() -> Dict[str, Any]:
        """``model``: optional path of a pipeline saved by ``python -m bot.nlp.build``."""
        return {"model": None}

    def __init__(self, config: Dict[str, Any]) -> None:
        """Keeps the config; the own pipeline is only loaded when first needed."""
        self._config = {**self.get_default_config(), **config}
        self._nlp: Optional[Language] = None

    @staticmethod
    def required_packages() -> List[str]:
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

    def _doc(self, message: Message, model: Optional[SpacyModel]) -> Doc:
        text = message.get(TEXT)
        if model is not None and is_backchat_pipeline(model.model):
            doc = message.get(SPACY_DOCS[TEXT])
            # SpacyNLP lower-cases by default; offsets still hold if the length is unchanged
            if doc is not None and len(doc.text) == len(text) and doc.text.lower() == text.lower():
                return doc
            return model.model(text)
        return self.nlp(text)

    def process(self, messages: List[Message], model: Optional[SpacyModel] = None) -> List[Message]:
        """Appends the clinical entities of each message to its ``entities``."""
        for message in messages:
            if not message.get(TEXT):
                continue
            extracted = to_rasa_entities(self._doc(message, model))
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagIntentOverride(ConfiguredComponent, IntentClassifier):
    """Deterministic red-flag screening: any non-negated ``red_flag`` entity wins the intent.

    Put it last in the pipeline (after DIETClassifier and FallbackClassifier): the top
    intent becomes ``red_flag`` with confidence 1.0, first in ``intent_ranking``.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        """The entity extractor must run before (graph validation enforces it)."""
        return [ClinicalEntityExtractor]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """``intent``: the name of the red-flag intent in the domain."""
        return {"intent": RED_FLAG}

    def __init__(self, config: Dict[str, Any]) -> None:
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

    def process(self, messages: List[Message]) -> List[Message]:
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
    def get_default_config() -> Dict[str, Any]:
        """Intent names for a message in another language and for one without words."""
        return {"other_language_intent": OTHER_LANGUAGE, "no_words_intent": NLU_FALLBACK}

    def __init__(self, config: Dict[str, Any]) -> None:
        """Keeps the config."""
        config = {**self.get_default_config(), **config}
        self._intents = {
            TextKind.OTHER_LANGUAGE: config["other_language_intent"],
            TextKind.NO_WORDS: config["no_words_intent"],
        }

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent of messages that are not English or have no words."""
        for message in messages:
            intent = self._intents.get(classify_text(message.get(TEXT) or ""))
            if intent:
                force_intent(message, intent)
        return messages
