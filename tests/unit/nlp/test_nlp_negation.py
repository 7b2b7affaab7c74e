"""``backchat_negation``: cues, scope and pseudo-negations."""

import pytest

from bot.nlp.entities import to_rasa_entities
from tests.support.nlp import shared_nlp as nlp


def polarity(text):
    """{(entity, value): negated} for ``text`` (a fact said both ways reads as said)."""
    found = {}
    for e in to_rasa_entities(nlp()(text)):
        key = (e["entity"], e["value"])
        found[key] = found.get(key, True) and e.get("role") == "negated"
    return found


CASES = [
    # preceding cues
    ("no pain down the leg, nothing numb", ("symptom", "numbness"), True),
    ("nothing tingly in my feet", ("symptom", "tingling"), True),
    ("nothing helps and my leg is numb", ("symptom", "numbness"), False),
    ("nothing works, my foot is numb", ("symptom", "numbness"), False),
    ("no numbness", ("symptom", "numbness"), True),
    ("No tingling at all", ("symptom", "tingling"), True),
    ("not numb", ("symptom", "numbness"), True),
    ("never had cancer", ("red_flag", "cancer_history"), True),
    ("without any numbness", ("symptom", "numbness"), True),
    ("I don't have a fever or chills", ("red_flag", "fever"), True),
    ("I dont have numbness", ("symptom", "numbness"), True),
    ("I haven't had any tingling", ("symptom", "tingling"), True),
    ("she denies weakness", ("symptom", "weakness"), True),
    ("no history of cancer", ("red_flag", "cancer_history"), True),
    ("neither numbness nor tingling", ("symptom", "tingling"), True),
    ("it doesn't hurt when I sit", ("symptom", "pain"), True),
    ("the pain isn't constant", ("pain_pattern", "constant"), True),
    ("no pain in my legs", ("body_part", "leg"), True),
    ("I no longer have numbness", ("symptom", "numbness"), True),
    # following cues
    ("numbness: no", ("symptom", "numbness"), True),
    ("tingling - none", ("symptom", "tingling"), True),
    ("fever? nope", ("red_flag", "fever"), True),
    ("numbness or tingling: no", ("symptom", "numbness"), True),
    ("numbness or tingling: no", ("symptom", "tingling"), True),
    ("numbness: yes, tingling: no", ("symptom", "numbness"), False),
    ("numbness: yes, tingling: no", ("symptom", "tingling"), True),
    ("pain-free for years", ("symptom", "pain"), True),
    ("cancer was ruled out", ("red_flag", "cancer_history"), True),
    ("weakness - not really", ("symptom", "weakness"), True),
    # scope ends at the clause
    ("no fever but I can't pee", ("red_flag", "bladder_dysfunction"), False),
    ("no fever but I can't pee", ("red_flag", "fever"), True),
    ("no numbness, I have tingling", ("symptom", "tingling"), False),
    ("no fever and my legs are numb", ("symptom", "numbness"), False),
    ("no numbness though it tingles", ("symptom", "tingling"), False),
    ("not sitting; standing is worse", ("aggravator", "standing"), False),
    ("no fever. my back hurts", ("symptom", "pain"), False),
    ("No, I have numbness", ("symptom", "numbness"), False),
    ("not since the fall, but the pain is constant", ("symptom", "pain"), False),
    # not negations
    ("I can't pee", ("red_flag", "bladder_dysfunction"), False),
    ("I can't feel my toes", ("symptom", "numbness"), False),
    ("I can't walk without pain", ("symptom", "pain"), False),
    ("I cannot sit without pain", ("symptom", "pain"), False),
    ("no matter how I lie it hurts", ("symptom", "pain"), False),
    ("not sure if it's numbness", ("symptom", "numbness"), False),
    ("painkillers don't help the pain", ("symptom", "pain"), False),
    ("it's not getting better, the pain is bad", ("symptom", "pain"), False),
    ("I don't know why my leg is numb", ("symptom", "numbness"), False),
    ("no relief from the pain", ("symptom", "pain"), False),
    ("I'm not coping with the pain", ("symptom", "pain"), False),
    ("I haven't been able to sleep because of the pain", ("symptom", "pain"), False),
    ("I'm in pain, no", ("symptom", "pain"), False),
    ("back pain no numbness", ("symptom", "pain"), False),
    ("back pain no numbness", ("symptom", "numbness"), True),
    ("the pain is not really that bad", ("symptom", "pain"), False),
]


@pytest.mark.parametrize(("text", "fact", "negated"), CASES)
def test_negation(text, fact, negated):
    found = polarity(text)
    assert fact in found, f"{fact} not found in {text!r}: {found}"
    assert found[fact] is negated


def test_durations_ages_and_subjects_are_never_negated():
    entities = to_rasa_entities(nlp()("I haven't slept for 3 weeks, not my son, I'm not 14"))
    assert all("role" not in e for e in entities if e["entity"] in ("duration", "subject", "age"))


def test_negated_leg_radiation_reads_as_none():
    found = polarity("no shooting down my leg")
    assert found[("radiation", "none")] is False
