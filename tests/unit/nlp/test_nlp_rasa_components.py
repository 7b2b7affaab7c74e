"""The Rasa graph components, created the way Rasa creates them."""

import copy

import pytest
import spacy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.validation import validate
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.data import TrainingType
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.rasa_components import (
    ClinicalEntityExtractor,
    LanguageIntentOverride,
    RedFlagIntentOverride,
)
from tests.support.nlp import shared_nlp as nlp


def create(component, config, tmp_path):
    return component.create(
        {**component.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource(component.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )


def message(text, intent="inform", confidence=0.9, entities=None):
    return Message(
        data={
            TEXT: text,
            INTENT: {"name": intent, "confidence": confidence},
            INTENT_RANKING_KEY: [
                {"name": intent, "confidence": confidence},
                {"name": "greet", "confidence": 1 - confidence},
            ],
            ENTITIES: entities or [],
        }
    )


def found(msg):
    return {(e["entity"], e["value"], e.get("role")) for e in msg.get(ENTITIES)}


def test_extractor_without_spacy_nlp_builds_its_own_pipeline(tmp_path):
    extractor = create(ClinicalEntityExtractor, {}, tmp_path)
    [msg] = extractor.process([message("No fever but I can't pee")])
    assert found(msg) == {
        ("red_flag", "fever", "negated"),
        ("red_flag", "bladder_dysfunction", None),
    }
    assert {e["extractor"] for e in msg.get(ENTITIES)} == {"ClinicalEntityExtractor"}


def test_extractor_keeps_entities_from_earlier_components(tmp_path):
    earlier = {"entity": "name", "value": "Ann", "start": 0, "end": 3, "extractor": "DIET"}
    extractor = create(ClinicalEntityExtractor, {}, tmp_path)
    [msg] = extractor.process([message("Ann, lower back pain", entities=[earlier])])
    assert msg.get(ENTITIES)[0] == earlier
    assert ("body_part", "low_back", None) in found(msg)


def test_extractor_reuses_the_doc_spacy_nlp_made_with_our_pipeline(tmp_path):
    model = SpacyModel(model=nlp(), model_name="backchat")
    msg = message("My LOWER back hurts")
    SpacyNLP(model, SpacyNLP.get_default_config()).process([msg], model)
    msg.get(SPACY_DOCS[TEXT]).ents = []  # proves the stored doc is the one used
    extractor = create(ClinicalEntityExtractor, {}, tmp_path)
    extractor._nlp = "must not be used"
    [msg] = extractor.process([msg], model)
    assert found(msg) == set()


def test_extractor_offsets_refer_to_the_original_text_after_lower_casing(tmp_path):
    model = SpacyModel(model=nlp(), model_name="backchat")
    text = "Since CHRISTMAS my Left Leg is NUMB"
    msg = message(text)
    SpacyNLP(model, SpacyNLP.get_default_config()).process([msg], model)
    [msg] = create(ClinicalEntityExtractor, {}, tmp_path).process([msg], model)
    spans = {text[e["start"] : e["end"]] for e in msg.get(ENTITIES)}
    assert {"Since CHRISTMAS", "Left", "Leg", "NUMB"} <= spans


def test_extractor_runs_its_own_pipeline_when_spacy_nlp_has_another_model(tmp_path):
    other = SpacyModel(model=spacy.blank("en"), model_name="en_blank")
    msg = message("numbness in both legs")
    SpacyNLP(other, SpacyNLP.get_default_config()).process([msg], other)
    [msg] = create(ClinicalEntityExtractor, {}, tmp_path).process([msg], other)
    assert ("red_flag", "bilateral_leg_symptoms", None) in found(msg)


def test_extractor_loads_a_saved_pipeline_from_the_model_path(tmp_path):
    nlp().to_disk(tmp_path / "spacy")
    extractor = create(ClinicalEntityExtractor, {"model": str(tmp_path / "spacy")}, tmp_path)
    [msg] = extractor.process([message("pins and needles in my right foot for 2 weeks")])
    assert {
        ("symptom", "tingling", None),
        ("side", "right", None),
        ("duration", 14, None),
    } <= found(msg)
    assert extractor.nlp.path is not None


def test_extractor_skips_messages_without_text(tmp_path):
    msg = Message(data={})
    [out] = create(ClinicalEntityExtractor, {}, tmp_path).process([msg])
    assert out.get(ENTITIES) is None


RED_FLAG = {"entity": "red_flag", "value": "bladder_dysfunction", "start": 0, "end": 9}


def test_override_sets_red_flag_intent_first_and_keeps_the_ranking(tmp_path):
    override = create(RedFlagIntentOverride, {}, tmp_path)
    [msg] = override.process([message("I can't pee", entities=[RED_FLAG])])
    assert msg.get(INTENT) == {"name": "red_flag", "confidence": 1.0}
    assert msg.get(INTENT_RANKING_KEY) == [
        {"name": "red_flag", "confidence": 1.0},
        {"name": "inform", "confidence": 0.9},
        {"name": "greet", "confidence": pytest.approx(0.1)},
    ]


def test_override_replaces_a_fallback_and_does_not_duplicate_red_flag(tmp_path):
    msg = message("I can't pee", intent="red_flag", confidence=0.4, entities=[RED_FLAG])
    msg.set(INTENT, {"name": "nlu_fallback", "confidence": 0.45})
    [msg] = create(RedFlagIntentOverride, {}, tmp_path).process([msg])
    names = [r["name"] for r in msg.get(INTENT_RANKING_KEY)]
    assert names == ["red_flag", "greet"]
    assert msg.get(INTENT)["name"] == "red_flag"


@pytest.mark.parametrize(
    "entities",
    [
        [],
        [{**RED_FLAG, "role": "negated"}],
        [{"entity": "symptom", "value": "numbness", "start": 0, "end": 4}],
    ],
)
def test_override_leaves_messages_without_a_red_flag_alone(tmp_path, entities):
    before = message("fine", entities=entities)
    expected = copy.deepcopy(before.as_dict())
    [after] = create(RedFlagIntentOverride, {}, tmp_path).process([before])
    assert after.as_dict() == expected


def test_override_intent_name_is_configurable(tmp_path):
    override = create(RedFlagIntentOverride, {"intent": "emergency"}, tmp_path)
    [msg] = override.process([message("x", entities=[RED_FLAG])])
    assert msg.get(INTENT)["name"] == "emergency"


def test_extractor_then_override_end_to_end(tmp_path):
    extractor = create(ClinicalEntityExtractor, {}, tmp_path)
    override = create(RedFlagIntentOverride, {}, tmp_path)
    msgs = [message("it feels different when I wipe"), message("no fever or chills, back ache")]
    out = override.process(extractor.process(msgs))
    assert [m.get(INTENT)["name"] for m in out] == ["red_flag", "inform"]


def _graph(pipeline):
    config = {"recipe": "default.v1", "language": "en", "pipeline": pipeline, "policies": []}
    recipe = DefaultV1Recipe()
    return recipe.graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)


PIPELINE = [
    {"name": "WhitespaceTokenizer"},
    {"name": "bot.nlp.rasa_components.ClinicalEntityExtractor"},
    {"name": "bot.nlp.rasa_components.LinearIntentClassifier"},
    {"name": "FallbackClassifier", "threshold": 0.4},
    {"name": "bot.nlp.rasa_components.RedFlagIntentOverride"},
]


def test_components_pass_rasa_graph_validation_and_run_in_config_order():
    graph = _graph(copy.deepcopy(PIPELINE))
    validate(graph)
    nodes = list(graph.predict_schema.nodes)
    extractor = nodes.index("run_bot.nlp.rasa_components.ClinicalEntityExtractor1")
    classifier = nodes.index("run_bot.nlp.rasa_components.LinearIntentClassifier2")
    fallback = nodes.index("run_FallbackClassifier3")
    override = nodes.index("run_bot.nlp.rasa_components.RedFlagIntentOverride4")
    assert extractor < classifier < fallback < override
    needs = graph.predict_schema.nodes[nodes[override]].needs
    assert needs == {"messages": "run_FallbackClassifier3"}
    assert "train_bot.nlp.rasa_components.LinearIntentClassifier2" in graph.train_schema.nodes


def test_extractor_takes_spacy_nlp_model_when_it_is_in_the_pipeline():
    pipeline = [
        {"name": "SpacyNLP", "model": "unused"},
        {"name": "SpacyTokenizer"},
    ] + copy.deepcopy(PIPELINE[1:])
    graph = _graph(pipeline)
    needs = graph.predict_schema.nodes["run_bot.nlp.rasa_components.ClinicalEntityExtractor2"].needs
    assert needs["model"] == "provide_SpacyNLP0"
    trainer = graph.train_schema.nodes["train_bot.nlp.rasa_components.LinearIntentClassifier3"]
    assert trainer.needs["model"] == "provide_SpacyNLP0"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("me duele la espalda", "other_language"),
        ("我的腰很痛", "other_language"),
        ("😭😭", "nlu_fallback"),
        ("my back hurts", "inform"),
    ],
)
def test_language_override_sets_other_language_or_fallback(tmp_path, text, intent):
    override = create(LanguageIntentOverride, {}, tmp_path)
    [msg] = override.process([message(text)])
    assert msg.get(INTENT) == {"name": intent, "confidence": 1.0 if intent != "inform" else 0.9}
    assert msg.get(INTENT_RANKING_KEY)[0]["name"] == intent


def test_a_red_flag_in_another_language_message_still_wins(tmp_path):
    language = create(LanguageIntentOverride, {}, tmp_path)
    red_flag = create(RedFlagIntentOverride, {}, tmp_path)
    messages = [message("tengo fever y dolor", entities=[RED_FLAG])]
    [msg] = red_flag.process(language.process(messages))
    assert msg.get(INTENT)["name"] == "red_flag"


def test_the_project_pipeline_extracts_entities_before_classifying_intents():
    import yaml

    from bot.runtime.settings import PROJECT_ROOT

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = [component["name"].rsplit(".", 1)[-1] for component in config["pipeline"]]
    assert names.index("ClinicalEntityExtractor") < names.index("LinearIntentClassifier")
    assert names.index("LinearIntentClassifier") < names.index("RedFlagIntentOverride")
