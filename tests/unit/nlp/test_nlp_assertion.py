"""Assertion of clinical facts: the visitor's own and current, or not (clinical.md section 2)."""

from __future__ import annotations

import pytest

from bot.nlp.assertion import (
    FAMILY,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    PRESENT,
    clause_assertion,
)
from bot.nlp.entities import to_rasa_entities


def said(nlp, text):
    """{(entity, value)} asserted (not negated) in ``text``."""
    return {(e["entity"], e["value"]) for e in to_rasa_entities(nlp(text)) if "role" not in e}


@pytest.mark.parametrize(
    "clause, status",
    [
        ("no numbness down there", NEGATED),
        ("none of the scary stuff like bladder trouble", NEGATED),
        ("temperature is normal", NEGATED),
        ("both my legs are ok", NEGATED),
        ("not around my privates", NEGATED),
        ("my mother had breast cancer", FAMILY),
        ("grandma had cancer", FAMILY),
        ("helping my brother-in-law lift a freezer and I had to sit", PRESENT),
        ("cancer runs in the family", FAMILY),
        ("can acupuncture collapse a lung?", HYPOTHETICAL),
        ("kinda nervous, can the needles give me an infection", HYPOTHETICAL),
        ("the crash was 3 years ago and scans were fine", HISTORICAL),
        ("Is it possible to lose control of your bladder from a back strain?", HYPOTHETICAL),
        ("can you get numb down there from sciatica, just curious", HYPOTHETICAL),
        ("car accident back in 2019, had a CT, everything was clear", HISTORICAL),
        ("i have no control over my bladder", PRESENT),
        ("my foot smacks down when i walk", PRESENT),
        ("mom can't feel when she needs to pee", PRESENT),
        ("lost 10 kg without trying", PRESENT),
        ("the car crash was yesterday", PRESENT),
    ],
)
def test_clause_assertion(clause, status):
    assert clause_assertion(clause) == status


@pytest.mark.parametrize(
    "text, absent",
    [
        ("pins and needles in my left foot, the right foot is totally normal", ("side", "right")),
        ("sore left buttock when i sit. both my legs are ok", ("side", "both")),
        ("his back aches on both sides. His legs are fine", ("body_part", "leg")),
        (
            "can the needles puncture a lung or give me an infection?",
            ("red_flag", "recent_infection"),
        ),
        (
            "i've lost 8 kg since september but that's on purpose, cutting carbs",
            ("red_flag", "weight_loss"),
        ),
        (
            "I was in a car accident back in 2019 and had a CT then, everything was clear",
            ("red_flag", "major_trauma"),
        ),
        ("i'm not pregnant any more, the baby is 4 months", ("condition", "pregnant")),
        ("my back hurt when I was pregnant", ("condition", "pregnant")),
        ("i got checked into the boards but not like a big crash", ("red_flag", "major_trauma")),
        ("no cancer or anything, she's never been on steroids", ("red_flag", "steroid_use")),
        ("no strength is fine i can walk on my toes and heels", ("symptom", "weakness")),
        ("no, both legs fine", ("side", "both")),
        (
            "Edmonton to Vancouver and back, and a pain in his left buttock",
            ("body_part", "low_back"),
        ),
        (
            "I had a prostate cancer scare but the biopsy was negative",
            ("red_flag", "cancer_history"),
        ),
        ("helping carry a heavy chest freezer down the stairs", ("red_flag", "chest_pain")),
        (
            "She fell off a horse as a teenager, x-rays back then were fine",
            ("red_flag", "major_trauma"),
        ),
        ("She has osteoporosis but she hasn't fallen", ("red_flag", "osteoporosis_fall")),
        ("So back in September I started at the gym. my shoulder hurts", ("body_part", "low_back")),
        ("pain on my right side under the ribs", ("body_part", "chest")),
        ("the baby woke up on the floor of the nursery", ("red_flag", "fainting")),
    ],
)
def test_facts_that_are_not_the_visitors_own_and_current_do_not_count(nlp, text, absent):
    assert absent not in said(nlp, text)


@pytest.mark.parametrize(
    "text, present",
    [
        ("both my legs are numb", ("red_flag", "bilateral_leg_symptoms")),
        ("i have no control over my bladder", ("red_flag", "bladder_dysfunction")),
        ("my car rolled over in the ditch yesterday", ("red_flag", "major_trauma")),
        ("I'm 28 weeks pregnant and my lower back aches", ("condition", "pregnant")),
        ("My waist is paining since 2 weeks", ("body_part", "low_back")),
        (
            "since the back went I can't, you know, perform with my wife",
            ("red_flag", "sexual_dysfunction"),
        ),
        ("my back goes out every spring and every fall", ("pain_pattern", "recurrent")),
        (
            "getting the chills and sweats at night can you do acupuncture for that",
            ("red_flag", "fever"),
        ),
        ("is acupuncture ok if ive had prostate cancer?", ("red_flag", "cancer_history")),
        ("can i get acupuncture if im on long term steroids?", ("red_flag", "steroid_use")),
        ("when i wipe i cant really feel the paper properly", ("red_flag", "saddle_numbness")),
        ("a couple of accidents with number two this week", ("red_flag", "bowel_dysfunction")),
        ("blacked out in shower this am", ("red_flag", "fainting")),
        ("she slipped in the tub. her bones are thin", ("red_flag", "osteoporosis_fall")),
        ("a heavy squeezing feeling across my chest", ("red_flag", "chest_pain")),
        (
            "helping my brother-in-law lift a freezer, then a heavy squeezing feeling across my "
            "chest and I had to sit down",
            ("red_flag", "chest_pain"),
        ),
        (
            "my mom had a fall in the tub and she has osteoporosis",
            ("red_flag", "osteoporosis_fall"),
        ),
        ("my left glute aches. Running is actually okay", ("body_part", "buttock")),
        ("i got this tight squeezing in the middle of my chest", ("red_flag", "chest_pain")),
        ("everything go black and my wife found me on floor", ("red_flag", "fainting")),
        (
            "it doesn't matter if I'm on my side or my back, nothing helps",
            ("red_flag", "night_pain"),
        ),
        ("he uses, he shoots up", ("red_flag", "iv_drug_use")),
        (
            "i stand at the toilet forever before anything comes out",
            ("red_flag", "bladder_dysfunction"),
        ),
        ("then its just a trickle", ("red_flag", "bladder_dysfunction")),
        ("i went dizzy and woke up on the bathroom floor", ("red_flag", "fainting")),
        ("ive lost about 9 kilos and I'm not dieting at all", ("red_flag", "weight_loss")),
        ("the foot kind of flops when i walk", ("red_flag", "leg_weakness")),
        ("the toe catches on the rug", ("red_flag", "leg_weakness")),
        ("nights. cant lie any way, up walking the hall at 3am", ("red_flag", "night_pain")),
        (
            "dropped like 20 pounds since september and i haven't been trying",
            ("red_flag", "weight_loss"),
        ),
        (
            "pain under the ribs in waves to my groin, my pee looked pink",
            ("condition", "kidney_stone_pattern"),
        ),
        ("both sides of my back, legs are good", ("body_part", "low_back")),
        ("Hi, my son Liam is 24 and hurt his lower back", ("age", 24)),
    ],
)
def test_own_current_facts_still_count(nlp, text, present):
    assert present in said(nlp, text)
