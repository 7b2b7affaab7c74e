"""Message -> slot updates: entities, yes/no answers, corrections, 'not sure'."""

import re

import pytest

from bot.dialogue.questions import questions_to_ask
from bot.dialogue.understanding import slot_updates
from bot.nlp.answer_cues import read_cues
from bot.nlp.entities import is_subject

CHILD_WORD = re.compile(r"\b(son|daughter|kid|child|toddler|boy|girl)\b", re.I)


def msg(intent="inform", text="", **entities):
    """A parsed message; entities given as label=[values] or label=[(value, 'negated')].

    The ``cue`` entities and a subject's ``is_subject`` come from ``bot.nlp`` reading
    ``text``, as the NLU pipeline does."""
    parsed = [{"entity": "cue", "value": cue} for cue in read_cues(text)]
    for label, values in entities.items():
        for value in values:
            role = None
            if isinstance(value, tuple):
                value, role = value
            entity = {"entity": label, "value": value}
            if role:
                entity["role"] = role
            child = CHILD_WORD.search(text)
            if label == "subject" and child:
                entity["additional_info"] = {"is_subject": is_subject(text[child.end() :])}
            parsed.append(entity)
    return {"intent": {"name": intent}, "entities": parsed, "text": text}


@pytest.mark.parametrize(
    "message, slots, requested, expected",
    [
        pytest.param(
            msg(body_part=["low_back"]), {}, None, {"pain_location": "low_back"}, id="back"
        ),
        pytest.param(
            msg(body_part=["low_back", "leg", "foot"], symptom=["pain"]),
            {},
            None,
            {"pain_location": "low_back", "radiation": "foot"},
            id="back-to-foot",
        ),
        pytest.param(
            msg(text="i sleep with a pillow between my knees", body_part=["low_back", "knee"]),
            {},
            None,
            {"pain_location": "low_back"},
            id="a-leg-named-without-a-symptom-is-not-radiation",
        ),
        pytest.param(msg(body_part=["calf"]), {}, None, {"pain_location": "leg"}, id="leg-only"),
        pytest.param(
            msg(body_part=["calf"]),
            {"pain_location": "low_back"},
            "radiation",
            {"radiation": "below_knee"},
            id="calf-answers-radiation",
        ),
        pytest.param(
            msg(body_part=["neck"]),
            {"pain_location": "low_back"},
            None,
            {},
            id="neck-mention-keeps-back",
        ),
        pytest.param(
            msg(text="actually it's my neck", body_part=["neck"]),
            {"pain_location": "low_back"},
            None,
            {"pain_location": "neck"},
            id="neck-correction",
        ),
        pytest.param(
            msg(radiation=["leg"]),
            {},
            "radiation",
            {"rephrase_slot": "radiation"},
            id="down-my-leg-asks-how-far",
        ),
        pytest.param(
            msg(radiation=["thigh"]), {"radiation": "foot"}, None, {}, id="radiation-keeps-furthest"
        ),
        pytest.param(
            msg(text="actually only to the thigh", radiation=["thigh"]),
            {"radiation": "foot"},
            None,
            {"radiation": "thigh"},
            id="radiation-correction",
        ),
        pytest.param(msg(symptom=["tingling"]), {}, None, {"leg_numbness": True}, id="tingling"),
        pytest.param(
            msg(symptom=[("numbness", "negated")]),
            {},
            None,
            {"leg_numbness": False},
            id="no-numbness",
        ),
        pytest.param(msg(symptom=["weakness"]), {}, None, {"leg_weakness": True}, id="weakness"),
        pytest.param(
            msg(aggravator=["sitting"]),
            {},
            None,
            {"aggravators": ["sitting"], "worse_sitting": True},
            id="sitting",
        ),
        pytest.param(
            msg(
                text="not really, sitting is fine. its running that hurts",
                aggravator=["sitting", "walking"],
            ),
            {},
            "worse_sitting",
            {"aggravators": ["walking"], "worse_sitting": False},
            id="sitting-is-fine",
        ),  # fmt: skip
        pytest.param(
            msg(text="sitting at my desk kills it", aggravator=["sitting"]),
            {},
            "worse_sitting",
            {"aggravators": ["sitting"], "worse_sitting": True},
            id="sitting-kills-it",
        ),
        pytest.param(
            msg(aggravator=["bending"]),
            {},
            "worse_sitting",
            {"aggravators": ["bending"], "worse_sitting": False},
            id="bending-not-sitting",
        ),
        pytest.param(msg(duration=[21]), {}, None, {"pain_duration_days": 21.0}, id="duration"),
        pytest.param(
            msg(text="actually more like 3 months", duration=[90]),
            {"pain_duration_days": 21.0},
            None,
            {"pain_duration_days": 90.0},
            id="duration-correction",
        ),
        pytest.param(
            msg(pain_pattern=["recurrent"]), {}, None, {"pain_pattern": "recurrent"}, id="recurrent"
        ),
        pytest.param(
            msg(side=["left", "right"]), {}, None, {"pain_side": "both"}, id="left-and-right"
        ),
        pytest.param(
            msg(text="no wait, the right leg", side=["right"]),
            {"pain_side": "left"},
            None,
            {"pain_side": "right"},
            id="side-correction",
        ),
        pytest.param(
            msg(text="my kid has a sore back", subject=["child"]),
            {},
            None,
            {"visitor_is_child": True},
            id="child",
        ),
        pytest.param(msg(age=[14]), {}, None, {"visitor_is_child": True}, id="age-14"),
        pytest.param(msg(age=[16]), {}, None, {"visitor_is_child": False}, id="age-16"),
        pytest.param(
            msg(subject=["child"], age=[17]), {}, None, {"visitor_is_child": False}, id="son-17"
        ),
    ],
)
def test_entities_become_facts(message, slots, requested, expected):
    assert slot_updates(message, slots, requested) == expected


@pytest.mark.parametrize(
    "intent, requested, expected",
    [
        ("affirm", "leg_numbness", {"leg_numbness": True}),
        ("deny", "leg_numbness", {"leg_numbness": False}),
        ("deny", "leg_weakness", {"leg_weakness": False}),
        ("affirm", "worse_sitting", {"worse_sitting": True}),
        ("deny", "radiation", {"radiation": "none"}),
        ("deny", "screen_cauda", {"screen_cauda": False}),
        (
            "affirm",
            "screen_cauda",
            {"screen_cauda": True, "red_flags": ["cauda_equina_screen_positive"]},
        ),
        (
            "affirm",
            "screen_serious",
            {"screen_serious": True, "red_flags": ["serious_illness_screen_positive"]},
        ),
        (
            "affirm",
            "screen_injury_night",
            {"screen_injury_night": True, "red_flags": ["injury_or_night_pain_screen_positive"]},
        ),
    ],
)
def test_yes_and_no_answer_the_question_asked(intent, requested, expected):
    assert slot_updates(msg(intent), {}, requested) == expected


def test_a_red_flag_is_taken_from_any_message_whatever_was_asked():
    message = msg("faq_side_effects", red_flag=["bladder_dysfunction"])
    assert slot_updates(message, {"red_flags": ["fever"]}, "radiation") == {
        "red_flags": ["fever", "bladder_dysfunction"]
    }


def test_a_negated_red_flag_is_not_raised():
    message = msg(red_flag=[("cancer_history", "negated")])
    assert slot_updates(message, {}, "screen_serious") == {"rephrase_slot": "screen_serious"}


def test_not_sure_rephrases_once_then_marks_the_fact_unknown():
    first = slot_updates(msg("dont_know"), {}, "pain_duration_days")
    assert first == {"rephrase_slot": "pain_duration_days"}
    second = slot_updates(msg("dont_know"), first, "pain_duration_days")
    assert second == {"unknown_facts": ["pain_duration_days"], "rephrase_slot": None}


def test_an_answer_after_a_rephrase_clears_it():
    slots = {"rephrase_slot": "pain_duration_days"}
    assert slot_updates(msg(duration=[10]), slots, "pain_duration_days") == {
        "pain_duration_days": 10.0,
        "rephrase_slot": None,
    }


def test_a_question_mid_form_leaves_the_form_question_open():
    # only a note outside the form's slots: the form lets the question be answered first
    assert slot_updates(msg("faq_side_effects"), {}, "radiation") == {
        "question_skipped": "radiation"
    }


def test_a_repeated_fact_is_not_set_again():
    assert slot_updates(msg(body_part=["low_back"]), {"pain_location": "low_back"}, None) == {}


def test_malformed_entities_are_ignored():
    message = {"intent": None, "entities": [None, "x", {"entity": "duration", "value": "lots"}]}
    assert slot_updates(message, {}, None) == {}


@pytest.mark.parametrize(
    "text, requested, expected",
    [
        (
            "no, didnt fall or anything. nights are ok",
            "screen_injury_night",
            {"screen_injury_night": False},
        ),
        ("nope none of that", "screen_serious", {"screen_serious": False}),
        ("dont think so", "leg_numbness", {"leg_numbness": False}),
        ("a bit yeah", "leg_numbness", {"leg_numbness": True}),
        (
            "yes since last week",
            "screen_cauda",
            {"screen_cauda": True, "red_flags": ["cauda_equina_screen_positive"]},
        ),
        ("no it stays put", "radiation", {"radiation": "none"}),
        ("just the left", "pain_side", {"pain_side": "left"}),
        ("not both legs, just the right", "pain_side", {"pain_side": "right"}),
    ],
)
def test_yes_and_no_are_read_from_the_words_whatever_the_intent(text, requested, expected):
    assert slot_updates(msg("goodbye", text=text), {}, requested) == expected


def test_a_no_answer_still_raises_a_red_flag_named_in_the_same_breath():
    message = msg(
        "deny", text="no, but i can't feel when i need to pee", red_flag=["bladder_dysfunction"]
    )
    updates = slot_updates(message, {}, "screen_cauda")
    assert updates["red_flags"] == ["bladder_dysfunction"]


def test_a_ruled_out_duration_in_a_correction_is_ignored():
    message = msg(text="wait sorry, i meant 2 months not 2 weeks", duration=[61, 14])
    message["entities"][1]["start"] = message["text"].index("2 weeks")
    assert slot_updates(message, {"pain_duration_days": 14.0}, "radiation") == {
        "pain_duration_days": 61.0
    }


def test_a_known_duration_is_not_overwritten_by_an_aside():
    message = msg(text="more standing a long time", duration=[365])
    updates = slot_updates(message, {"pain_duration_days": 49.0}, "worse_sitting")
    assert "pain_duration_days" not in updates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("threw my back out picking up my kid", {}),
        ("my back has hurt since i was pregnant with my son", {}),
        ("my son has back pain", {"visitor_is_child": True}),
        ("lower back pain for 2 weeks, came on after helping my son move", {}),
    ],
)
def test_a_child_is_the_patient_only_when_the_pain_is_theirs(text, expected):
    updates = slot_updates(msg(text=text, subject=["child"]), {}, None)
    assert {k: v for k, v in updates.items() if k == "visitor_is_child"} == expected


def test_a_child_mentioned_after_the_pain_was_described_is_not_the_patient():
    message = msg(text="lifting my toddler and vacuuming", subject=["child"])
    updates = slot_updates(message, {"pain_location": "low_back"}, "worse_sitting")
    assert "visitor_is_child" not in updates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("twisting", False),
        ("everything", False),
        ("sitting at my desk", True),
        ("driving to work", True),
        ("not really sitting, more standing", False),
        ("yes", True),
    ],
)
def test_what_makes_it_worse_is_read_from_free_text(text, expected):
    updates = slot_updates(msg("faq_side_effects", text=text), {}, "worse_sitting")
    assert updates["worse_sitting"] is expected


def test_a_question_instead_of_an_answer_leaves_worse_sitting_open():
    updates = slot_updates(msg("faq_does_it_hurt", text="does it hurt?"), {}, "worse_sitting")
    assert updates == {"question_skipped": "worse_sitting"}


def test_both_legs_is_a_red_flag():
    message = msg(
        text="both sides honestly, left leg and right leg", side=["both"], body_part=["leg"]
    )
    updates = slot_updates(message, {"pain_location": "low_back"}, "pain_side")
    assert updates["red_flags"] == ["bilateral_leg_symptoms"]


def test_both_sides_of_the_low_back_alone_is_not_a_red_flag():
    message = msg(text="both sides", side=["both"])
    updates = slot_updates(message, {"pain_location": "buttock"}, "pain_side")
    assert updates == {"pain_side": "both"}


QUALIFIED_YES = "yeah the slip on the ice, but it wasnt a big fall, im 28 and no bone problems"


def test_a_yes_taken_back_in_part_to_a_safety_question_is_asked_again():
    first = slot_updates(msg("affirm", text=QUALIFIED_YES), {}, "screen_injury_night")
    assert first == {"rephrase_slot": "screen_injury_night"}
    no = slot_updates(msg("deny", text="no"), first, "screen_injury_night")
    assert no == {"screen_injury_night": False, "rephrase_slot": None}


def test_a_second_qualified_yes_counts_as_yes():
    slots = {"rephrase_slot": "screen_injury_night"}
    again = slot_updates(msg("affirm", text=QUALIFIED_YES), slots, "screen_injury_night")
    assert again["screen_injury_night"] is True
    assert again["red_flags"] == ["injury_or_night_pain_screen_positive"]


@pytest.mark.parametrize(
    "text",
    ["yes", "yeah but only at night", "yes since last week", "yes, but it's worse lying down"],
)
def test_a_plain_yes_to_a_safety_question_is_a_yes_at_once(text):
    updates = slot_updates(msg("affirm", text=text), {}, "screen_injury_night")
    assert updates["screen_injury_night"] is True


def test_a_qualified_yes_keeps_a_red_flag_named_in_it():
    message = msg(
        "affirm",
        text="yes but not recently, i had cancer years ago",
        red_flag=["cancer_history"],
    )
    updates = slot_updates(message, {}, "screen_serious")
    assert updates["red_flags"] == ["cancer_history"]
    assert updates["rephrase_slot"] == "screen_serious"


def test_a_qualified_yes_to_another_question_is_still_a_yes():
    updates = slot_updates(msg("affirm", text="yes but not much"), {}, "leg_numbness")
    assert updates == {"leg_numbness": True}


# --- a possible red flag is asked about, quoting the visitor --------------------------


def _possible(flag, quote):
    return {"entity": "possible_red_flag", "value": flag, "additional_info": {"quote": quote}}


def test_a_possible_red_flag_becomes_a_question_that_quotes_the_visitor():
    message = {
        "intent": {"name": "inform"},
        "entities": [_possible("leg_weakness", "my foot smacks down")],
        "text": "x",
    }
    updates = slot_updates(message, {}, None)
    assert updates["pending_red_flag"] == "leg_weakness"
    assert updates["pending_red_flag_quote"] == "my foot smacks down"
    assert questions_to_ask({**updates})[0] == "confirm_red_flag"


def test_yes_to_the_question_raises_the_flag_no_clears_it():
    slots = {"pending_red_flag": "leg_weakness", "pending_red_flag_quote": "q"}
    yes = slot_updates({"intent": {"name": "affirm"}, "text": "yes"}, slots, "confirm_red_flag")
    assert yes["red_flags"] == ["leg_weakness"] and yes["confirm_red_flag"] is True
    no = slot_updates({"intent": {"name": "deny"}, "text": "no"}, slots, "confirm_red_flag")
    assert "red_flags" not in no and no["confirm_red_flag"] is False
    assert no["pending_red_flag"] is None and no["red_flags_ruled_out"] == ["leg_weakness"]
    again = {
        "intent": {"name": "inform"},
        "entities": [_possible("leg_weakness", "q")],
        "text": "x",
    }
    assert "pending_red_flag" not in slot_updates(again, {**slots, **no}, "leg_numbness")


def test_an_unclear_answer_is_rephrased_once_then_left():
    slots = {"pending_red_flag": "fever", "pending_red_flag_quote": "q"}
    first = slot_updates(
        {"intent": {"name": "nlu_fallback"}, "text": "hmm"}, slots, "confirm_red_flag"
    )
    assert first == {"rephrase_slot": "confirm_red_flag"}
    second = slot_updates(
        {"intent": {"name": "nlu_fallback"}, "text": "hmm"}, {**slots, **first}, "confirm_red_flag"
    )
    assert "confirm_red_flag" in second["unknown_facts"]
    assert "confirm_red_flag" not in questions_to_ask({**slots, **first, **second})


def test_the_pains_own_duration_wins_over_another_in_the_same_message():
    durations = [
        {"entity": "duration", "value": 46, "additional_info": {"about_pain": True}},
        {"entity": "duration", "value": 97, "additional_info": {"about_pain": False}},
    ]
    message = {"intent": {"name": "inform"}, "entities": durations, "text": "x"}
    assert slot_updates(message, {}, None)["pain_duration_days"] == 46


def test_a_message_that_is_not_an_answer_holds_a_question_at_most_twice():
    faq = {"intent": {"name": "faq_side_effects"}, "entities": [], "text": "x"}
    first = slot_updates(faq, {}, "screen_injury_night")
    assert first == {"question_skipped": "screen_injury_night"}
    assert "screen_injury_night" in questions_to_ask(first)  # asked again after the answer
    second = slot_updates(faq, first, "screen_injury_night")
    assert second["skipped_facts"] == ["screen_injury_night"]
    assert "screen_injury_night" not in questions_to_ask({**first, **second})


def test_an_answer_clears_a_skipped_question():
    slots = {"question_skipped": "leg_numbness"}
    no = {"intent": {"name": "deny"}, "entities": [{"entity": "cue", "value": "answer_no"}]}
    updates = slot_updates({**no, "text": "no"}, slots, "leg_numbness")
    assert updates["leg_numbness"] is False and updates["question_skipped"] is None


def test_both_sides_of_the_back_is_never_both_legs():
    both_back = {"entity": "side", "value": "both", "additional_info": {"of_back": True}}
    leg = {"entity": "body_part", "value": "leg"}
    left = {"entity": "side", "value": "left"}
    message = {"intent": {"name": "inform"}, "entities": [both_back, left, leg], "text": "x"}
    updates = slot_updates(message, {"pain_location": "low_back"}, None)
    assert updates["pain_side"] == "left" and "red_flags" not in updates
    answer = {"intent": {"name": "inform"}, "entities": [both_back], "text": "x"}
    leg_pain = {"pain_location": "low_back", "radiation": "thigh"}
    assert "red_flags" not in slot_updates(answer, leg_pain, "pain_side")
