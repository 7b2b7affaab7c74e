"""Entities as visitors type them: body parts, sides, symptoms, aggravators, patterns..."""

import pytest

from bot.dialogue.understanding import slot_updates
from bot.nlp.entities import to_rasa_entities
from tests.support.nlp import shared_nlp as nlp


def facts(text):
    """{(entity, value)} said (not negated) in ``text``."""
    return {(e["entity"], e["value"]) for e in to_rasa_entities(nlp()(text)) if "role" not in e}


BODY_PARTS = [
    ("my lower back is killing me", "low_back"),
    ("low back pain since Monday", "low_back"),
    ("Lower Back hurts", "low_back"),
    ("lumbar pain", "low_back"),
    ("my back is killing me", "low_back"),
    ("pain in the small of my back", "low_back"),
    ("lowerback ache", "low_back"),
    ("lower-back stiffness", "low_back"),
    ("my tailbone hurts", "low_back"),
    ("L5/S1 disc", "low_back"),
    ("it's my lower bak", "low_back"),
    ("sore bum", "buttock"),
    ("my butt hurts", "buttock"),
    ("tight glute on the left", "buttock"),
    ("pain in my left buttock", "buttock"),
    ("ache in my bum cheek", "buttock"),
    ("my hip is sore", "hip"),
    ("pain in both hips", "hip"),
    ("back of my thigh", "thigh"),
    ("my hamstring feels tight", "thigh"),
    ("my knee aches", "knee"),
    ("cramp in my calf", "calf"),
    ("sore calves", "calf"),
    ("shin pain", "shin"),
    ("my ankle is swollen", "ankle"),
    ("numb foot", "foot"),
    ("tingling in my feet", "foot"),
    ("pain in the sole of my foot", "foot"),
    ("my big toe is numb", "toes"),
    ("pain down my leg", "leg"),
    ("my legs feel heavy", "leg"),
    ("pain in my groin", "groin"),
    ("stiff neck", "neck"),
    ("pain between my shoulder blades", "upper_back"),
    ("upper back ache", "upper_back"),
    ("my shoulder hurts", "shoulder"),
    ("it's my chest that bugs me", "chest"),
    ("stomach ache", "abdomen"),
    ("I have a headache", "head"),
]


@pytest.mark.parametrize(("text", "part"), BODY_PARTS)
def test_body_parts(text, part):
    assert ("body_part", part) in facts(text)


SIDES = [
    ("pain in my left leg", "left"),
    ("left-sided back pain", "left"),
    ("it's on the left", "left"),
    ("the right side of my back", "right"),
    ("right buttock", "right"),
    ("on the right", "right"),
    ("my rt leg", "right"),
    ("both legs", "both"),
    ("both sides of my back", "both"),
    ("left and right hip", "both"),
    ("both of my legs", "both"),
    ("bilateral buttock pain", "both"),
    ("right in the middle of my back", "central"),
    ("central low back pain", "central"),
    ("down the middle of my spine", "central"),
]


@pytest.mark.parametrize(("text", "side"), SIDES)
def test_sides(text, side):
    assert ("side", side) in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I left work early because of my back",
        "right now my back is sore",
        "all right, my back hurts",
        "both of us have back pain",
        "it woke me in the middle of the night",
        "that's right",
        "I'll call you right back",
    ],
)
def test_side_false_friends(text):
    assert not [f for f in facts(text) if f[0] == "side"]


SYMPTOMS = [
    ("my back hurts", "pain"),
    ("aching lower back", "pain"),
    ("it's really sore", "pain"),
    ("my back is killing me", "pain"),
    ("agony when I bend", "pain"),
    ("numbness in my foot", "numbness"),
    ("my toes are numb", "numbness"),
    ("my foot feels numb-ish", "numbness"),
    ("dead leg feeling", "numbness"),
    ("I can't feel my toes", "numbness"),
    ("pins and needles in my foot", "tingling"),
    ("pins & needles", "tingling"),
    ("tingly feeling down my leg", "tingling"),
    ("it tingles", "tingling"),
    ("my leg feels weak", "weakness"),
    ("weakness in my ankle", "weakness"),
    ("my knee gives way sometimes", "weakness"),
    ("burning pain in my thigh", "burning"),
    ("it feels like it's on fire", "burning"),
    ("shooting pain down my leg", "shooting"),
    ("stabbing pain in my buttock", "shooting"),
    ("like an electric shock", "shooting"),
    ("my back is stiff in the morning", "stiffness"),
    ("tightness in my lower back", "stiffness"),
    ("my back went into spasm", "spasm"),
    ("back spasms", "spasm"),
    ("cramping in my calf", "spasm"),
]


@pytest.mark.parametrize(("text", "symptom"), SYMPTOMS)
def test_symptoms(text, symptom):
    assert ("symptom", symptom) in facts(text)


AGGRAVATORS = [
    ("it's worse when I sit", "sitting"),
    ("sitting makes it worse", "sitting"),
    ("driving is agony", "sitting"),
    ("it hurts in the car", "sitting"),
    ("getting up from a chair is the worst", "sitting"),
    ("after long drives", "sitting"),
    ("bending over to tie my shoes", "bending"),
    ("when I bend down", "bending"),
    ("coughing hurts my back", "coughing"),
    ("sneezing sends a jolt down my leg", "coughing"),
    ("standing for long", "standing"),
    ("on my feet all day", "standing"),
    ("walking more than 10 minutes", "walking"),
    ("climbing stairs", "walking"),
    ("lifting the kids", "lifting"),
    ("when I pick up boxes", "lifting"),
    ("lying in bed", "lying"),
    ("rolling over at night", "lying"),
]


@pytest.mark.parametrize(("text", "aggravator"), AGGRAVATORS)
def test_aggravators(text, aggravator):
    assert ("aggravator", aggravator) in facts(text)


PAIN_PATTERNS = [
    ("it comes and goes", "recurrent"),
    ("on and off for years", "recurrent"),
    ("off and on since 2019", "recurrent"),
    ("it flares up every few months", "recurrent"),
    ("keeps coming back", "recurrent"),
    ("I get flare-ups", "recurrent"),
    ("recurring back pain", "recurrent"),
    ("every now and then", "recurrent"),
    ("it hurts all the time", "constant"),
    ("constant ache", "constant"),
    ("it never goes away", "constant"),
    ("24/7", "constant"),
    ("non-stop pain", "constant"),
]


@pytest.mark.parametrize(("text", "pattern"), PAIN_PATTERNS)
def test_pain_patterns(text, pattern):
    assert ("pain_pattern", pattern) in facts(text)


RADIATION = [
    ("shooting down my left leg to the foot", "foot"),
    ("it goes all the way down to my toes", "foot"),
    ("down the back of my thigh", "thigh"),
    ("pain goes into my calf", "below_knee"),
    ("it radiates below the knee", "below_knee"),
    ("it travels past my knee", "below_knee"),
    ("down to my ankle", "below_knee"),
    ("it spreads into my bum", "buttock"),
    ("radiates into my hip", "buttock"),
    ("down to the knee", "thigh"),
    ("it doesn't go below the knee", "thigh"),
    ("pain down my leg", "leg"),
    ("down the back of my leg", "leg"),
    ("it stays in my back", "none"),
    ("only in my lower back", "none"),
    ("it doesn't go down my leg", "none"),
    ("it doesn't radiate", "none"),
    ("no pain down my legs", "none"),
    ("no leg pain", "none"),
    ("my legs are fine", "none"),
]


@pytest.mark.parametrize(("text", "extent"), RADIATION)
def test_radiation(text, extent):
    assert ("radiation", extent) in facts(text)


def test_radiation_keeps_side_and_body_part():
    found = facts("shooting down my left leg to the foot")
    assert {("side", "left"), ("body_part", "leg"), ("body_part", "foot")} <= found


def test_location_without_movement_is_not_radiation():
    assert not [f for f in facts("pain in my calf") if f[0] == "radiation"]


SUBJECTS = [
    "my son has back pain",
    "my daughter hurt her back",
    "my kid's back is sore",
    "asking for my teenage son",
    "my 10 year old has back pain",
    "my little girl",
]


@pytest.mark.parametrize("text", SUBJECTS)
def test_child_subject(text):
    assert ("subject", "child") in facts(text)


AGES = [
    ("I'm 14", 14),
    ("im 14 and my back hurts", 14),
    ("I am 67 years old", 67),
    ("67 years old, female", 67),
    ("I'm a 45 year old man", 45),
    ("aged 52", 52),
    ("I'm sixty seven", 67),
    ("72yo", 72),
    ("my 10 year old son", 10),
    ("I'm in my late fifties", 58),
    ("she's 12", 12),
]


@pytest.mark.parametrize(("text", "age"), AGES)
def test_ages(text, age):
    assert ("age", age) in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 5 weeks into this",
        "I'm 100% sure",
        "it's been 3 years",
        "I'm one of those people who never sits still",
        "pain is 8 out of 10",
    ],
)
def test_not_ages(text):
    assert not [f for f in facts(text) if f[0] == "age"]


CONDITIONS = [
    ("I think I have sciatica", "sciatica"),
    ("my physio said piriformis syndrome", "piriformis"),
    ("I have osteoporosis", "osteoporosis"),
    ("brittle bones", "osteoporosis"),
    ("a slipped disc", "disc"),
    ("herniated disk at L4", "disc"),
]


@pytest.mark.parametrize(("text", "condition"), CONDITIONS)
def test_conditions(text, condition):
    assert ("condition", condition) in facts(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("I went back to work last week", ("body_part", "low_back")),
        ("I'll come back later", ("body_part", "low_back")),
        ("I'm heading home now", ("body_part", "head")),
        ("I moved a chest of drawers", ("body_part", "chest")),
        ("I walk there on foot", ("body_part", "foot")),
        ("my hay fever is bad", ("red_flag", "fever")),
        ("what's the temperature in edmonton right now", ("red_flag", "fever")),
        ("what is the temperature outside today", ("red_flag", "fever")),
        ("temperature forecast for the weekend?", ("red_flag", "fever")),
        ("I'm so sick of this pain", ("red_flag", "feeling_unwell")),
        ("a faint ache", ("red_flag", "fainting")),
        ("I had a steroid injection in my back", ("red_flag", "steroid_use")),
        ("my mum had breast cancer", ("red_flag", "cancer_history")),
        ("family history of cancer", ("red_flag", "cancer_history")),
        ("could it be cancer?", ("red_flag", "cancer_history")),
        ("I have irritable bowel syndrome", ("red_flag", "bowel_dysfunction")),
        ("I'm worried it's a tumour", ("red_flag", "cancer_history")),
    ],
)
def test_false_friends(text, absent):
    assert absent not in facts(text)


def test_entity_dict_shape():
    [entity] = [e for e in to_rasa_entities(nlp()("my lower back")) if e["entity"] == "body_part"]
    assert entity == {
        "entity": "body_part",
        "value": "low_back",
        "start": 3,
        "end": 13,
        "confidence_entity": 1.0,
        "extractor": "ClinicalEntityExtractor",
    }


def test_duration_entity_value_is_int_days_with_details():
    [entity] = [
        e for e in to_rasa_entities(nlp()("for a week and a half")) if e["entity"] == "duration"
    ]
    assert entity["value"] == 11
    assert entity["additional_info"] == {
        "days": 10.5,
        "approximate": False,
        "recurrent": False,
        "anchored": True,
        "vague": False,
        "about_pain": False,
    }


@pytest.mark.parametrize(
    "text, least, most",
    [
        # the duration tied to the pain wins over the length of some other event
        ("an ache in my back for 5 months, ever since I spent two days on a mattress", 150, 153),
        (
            "hurt her lower back 4 days ago. she had a scan for back pain years ago, it was fine",
            4,
            4,
        ),
        (
            "back pain for 6 months. fell off my bike a few years back but they xrayed it, fine",
            180,
            184,
        ),
        ("lower back pain 3 weeks", 21, 21),
        (
            "my back goes out 3 or 4 times a year and has done for like 8 years. this time it went"
            " on thursday",
            2900,
            2950,
        ),
        ("my back is bad since I was in my thirties, I'm 52. It comes and goes", 5e3, 9e3),
        ("sore for about 7 weeks. His brother had a spine tumour years ago", 49, 49),
        ("she's 11 weeks now and my back has ached since about a week after the delivery", 77, 77),
        (
            "my back: a warehouse from 2015 and that's when it started. every few months it flares,"
            " I'm walking like an old man for a week or two",
            3000,
            5000,
        ),
    ],
)
def test_the_pains_own_duration_is_kept(text, least, most):
    entities = to_rasa_entities(nlp()(text))
    updates = slot_updates({"intent": {"name": "inform"}, "entities": entities}, {}, None)
    assert least <= updates["pain_duration_days"] <= most


def test_a_duration_says_whether_its_sentence_is_about_the_pain():
    text = "my back has ached for 6 weeks. I've lost 8 kg since september, on purpose"
    durations = [e for e in to_rasa_entities(nlp()(text)) if e["entity"] == "duration"]
    assert [e["additional_info"]["about_pain"] for e in durations] == [True, False]


def test_recurrent_duration_adds_one_pain_pattern():
    found = [
        e for e in to_rasa_entities(nlp()("on and off for years")) if e["entity"] == "pain_pattern"
    ]
    assert [e["value"] for e in found] == ["recurrent"]


def test_recurrent_duration_without_ruler_cue_adds_pain_pattern():
    doc = nlp()("it recurs, this time for 3 weeks")
    assert ("pain_pattern", "recurrent") in {
        (e["entity"], e["value"]) for e in to_rasa_entities(doc)
    }


def test_offsets_point_at_the_text():
    text = "Since Christmas my LEFT leg goes numb, no fever."
    for entity in to_rasa_entities(nlp()(text)):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        assert (
            text[entity["start"] : entity["end"]].strip() == text[entity["start"] : entity["end"]]
        )


@pytest.mark.parametrize(
    "text, location",
    [
        ("hip pain deep in the groin, arthritis in the hip joint. Back is okay.", "other"),
        ("My back is totally fine, it's just the foot, the bottom of my left heel", "other"),
        ("a slapshot off my right shoulder. My back has actually been fine", "other"),
        ("my back is fine, it's my left buttock that hurts when I sit", "buttock"),
        ("my lower back hurts, my hip is fine", "low_back"),
        ("pain in my right but cheek when i sit on the combine", "buttock"),
        ("My hip joint is acting up, deep in the groin on the right", "other"),
        ("my left hip bone in the back, where you sit, has been sore", "buttock"),
        ("pain in the hip, the doctor said is the arthritis of the hip", "other"),
    ],
)
def test_a_complaint_elsewhere_with_the_back_said_to_be_fine(text, location):
    entities = to_rasa_entities(nlp()(text))
    updates = slot_updates({"intent": {"name": "inform"}, "entities": entities}, {}, None)
    assert updates["pain_location"] == location


@pytest.mark.parametrize(
    "text, radiation",
    [
        ("now down my left leg to the knee and past it", "below_knee"),
        ("it goes down to the knee, not past it", "thigh"),
        ("through my bum and down the side of my leg to just above the ankle", "below_knee"),
    ],
)
def test_how_far_the_pain_goes(text, radiation):
    values = [e["value"] for e in to_rasa_entities(nlp()(text)) if e["entity"] == "radiation"]
    assert values[-1] == radiation
    updates = slot_updates(
        {"intent": {"name": "inform"}, "entities": to_rasa_entities(nlp()(text))}, {}, "radiation"
    )
    assert updates["radiation"] == radiation


@pytest.mark.parametrize(
    "text, colic",
    [
        ("pain in my left side since this morning, comes in waves, shoots into my groin", True),
        ("salam, pain in my left side of back, it come like wave and go down to the groin", True),
        ("left side of my lower back, comes and goes, into my inner thigh", False),
    ],
)
def test_the_kidney_stone_colic_without_coloured_urine(text, colic):
    conditions = [e["value"] for e in to_rasa_entities(nlp()(text)) if e["entity"] == "condition"]
    assert ("kidney_stone_pattern" in conditions) is colic


@pytest.mark.parametrize(
    "text, tingling",
    [
        ("crouching and crawling, sitting is ok", False),
        ("lots of crawling around in attics and crawlspaces", False),
        ("like ants crawling down my calf", True),
        ("a crawling feeling in my foot", True),
    ],
)
def test_crawling_is_a_sensation_only_when_said_as_one(text, tingling):
    symptoms = [e["value"] for e in to_rasa_entities(nlp()(text)) if e["entity"] == "symptom"]
    assert ("tingling" in symptoms) is tingling
