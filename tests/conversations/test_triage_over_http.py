"""Whole conversations with the real Rasa, action and web servers over HTTP."""

import sqlite3
import urllib.request
import uuid

import pytest

from bot.clinic import load_clinic

BOOKING = "example-clinic.ca/book"


def texts(messages):
    return " ".join(m.get("text", "") for m in messages)


def converse(stack, opener, answers, max_turns=15, stop_at=None):
    """Send the opener, then answer what the form asks until ``stop_at``; (sender, replies)."""
    sender = uuid.uuid4().hex
    replies = stack.chat(sender, opener)
    for _ in range(max_turns):
        tracker = stack.tracker(sender)
        asked = tracker["slots"].get("requested_slot")
        if not asked or asked == stop_at:
            break
        assert asked in answers, f"unexpected question {asked}: {texts(replies)}"
        replies += stack.chat(sender, answers[asked])
    return sender, replies


NO_SCREEN = {"screen_cauda": "no", "screen_serious": "nope", "screen_injury_night": "no"}


def test_hi_gets_the_notice_and_an_invitation(stack):
    replies = stack.chat(uuid.uuid4().hex, "hi")
    joined = texts(replies)
    assert "not a doctor" in joined and "911" in joined
    assert "where does it hurt" in joined.lower()


def test_recent_back_pain_is_acute_and_offered_booking(stack):
    sender, replies = converse(
        stack,
        "my lower back is killing me, i hurt it lifting a box 5 days ago",
        {
            "radiation": "it stays in my back",
            "leg_numbness": "no",
            "worse_sitting": "bending",
            **NO_SCREEN,
        },
    )
    slots = stack.tracker(sender)["slots"]
    assert slots["triage_result"] == "acute"
    assert slots["pain_duration_days"] == 5
    assert BOOKING in texts(replies)
    assert "You told me" in texts(replies)


def test_one_leg_below_the_knee_is_sciatica(stack):
    sender, _ = converse(
        stack,
        "shooting pain from my lower back down my left leg to the foot for 3 weeks",
        {
            "leg_numbness": "yes pins and needles",
            "leg_weakness": "no",
            "worse_sitting": "sitting",
            "pain_side": "left",
            **NO_SCREEN,
        },
    )
    assert stack.tracker(sender)["slots"]["triage_result"] == "sciatica"


def test_a_red_flag_in_the_opener_ends_triage_without_booking(stack):
    sender = uuid.uuid4().hex
    replies = stack.chat(sender, "my back hurts and since yesterday i can't control my bladder")
    slots = stack.tracker(sender)["slots"]
    assert slots["triage_result"] == "emergency"
    assert slots["needs_staff_review"] is True
    assert "911" in texts(replies) and BOOKING not in texts(replies)
    later = stack.chat(sender, "ok can i book an appointment")
    assert BOOKING not in texts(later)


def test_a_yes_to_the_safety_question_is_an_emergency(stack):
    sender, replies = converse(
        stack,
        "lower back pain for 2 months",
        {
            "radiation": "no",
            "leg_numbness": "no",
            "worse_sitting": "nothing really",
            "screen_cauda": "yes",
        },
    )
    assert stack.tracker(sender)["slots"]["triage_result"] == "emergency"
    assert BOOKING not in texts(replies)


def test_a_yes_taken_back_in_part_is_asked_again_in_other_words(stack):
    answers = {
        "radiation": "no",
        "pain_side": "in the middle",
        "leg_numbness": "no",
        "worse_sitting": "bending",
        "screen_cauda": "no",
        "screen_serious": "no",
    }
    opener = "i slipped on the ice 4 days ago and landed on my butt, now my lower back is sore"
    sender, _ = converse(stack, opener, answers, stop_at="screen_injury_night")
    assert stack.tracker(sender)["slots"]["requested_slot"] == "screen_injury_night"
    again = stack.chat(sender, "yeah the slip on the ice, but it wasnt a big fall, im 28")
    assert "In other words" in texts(again)
    assert stack.tracker(sender)["slots"]["triage_result"] is None
    replies = stack.chat(sender, "no")
    assert stack.tracker(sender)["slots"]["triage_result"] == "acute"
    assert BOOKING in texts(replies)


def test_a_question_mid_triage_is_answered_and_triage_resumes(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "my back hurts")
    assert stack.tracker(sender)["slots"]["requested_slot"] == "pain_duration_days"
    answer = stack.chat(sender, "how many sessions will i need?")
    assert "three" in texts(answer)
    assert stack.tracker(sender)["slots"]["requested_slot"] == "pain_duration_days"


def test_a_practical_question_about_a_visit_gets_what_to_expect(stack):
    answer = texts(stack.chat(uuid.uuid4().hex, "how long will i be there for my first visit"))
    assert load_clinic().first_visit in answer
    assert "{" not in answer


def test_the_conversation_is_in_the_sqlite_tracker_store(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "hi")
    with sqlite3.connect(stack.var_dir / "tracker.db") as db:
        rows = db.execute(
            "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    kinds = [row[0] for row in rows]
    assert "user" in kinds and "bot" in kinds


def test_the_api_needs_the_token(stack):
    url = f"{stack.rasa_url}/conversations/someone/tracker?token=wrong"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=10)
    assert error.value.code == 401


def test_the_demo_page_is_served(stack):
    with urllib.request.urlopen(f"{stack.web_url}/", timeout=10) as response:
        page = response.read().decode()
    assert "Acupuncture for Low Back Pain" in page


# --- issue 16's invariants: a red flag ends what is going on; no question holds twice --


def test_a_red_flag_during_the_callback_form_ends_it_and_is_assessed(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "can someone call me back")
    assert stack.tracker(sender)["active_loop"].get("name") == "callback_form"
    replies = stack.chat(sender, "actually i have shaking chills and a fever of 38.9 now")
    slots = stack.tracker(sender)["slots"]
    assert slots["triage_result"] == "emergency"
    assert "doesn't look like a phone number" not in texts(replies)
    assert BOOKING not in texts(replies)
    assert not stack.tracker(sender)["active_loop"].get("name")


def test_an_unreadable_contact_is_asked_once_more_then_the_phone_is_given(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "please call me back")
    stack.chat(sender, "Sam")
    first = texts(stack.chat(sender, "whenever works"))
    assert "doesn't look like a phone number" in first
    second = texts(stack.chat(sender, "i dont know"))
    assert load_clinic().phone in second and "saved a call-back" in second
    assert not stack.tracker(sender)["active_loop"].get("name")


def test_a_question_during_the_callback_form_is_answered_not_taken_as_a_name(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "please call me back")
    replies = texts(stack.chat(sender, "what are your hours?"))
    assert load_clinic().hours in replies
    slots = stack.tracker(sender)["slots"]
    assert slots["callback_name"] is None and slots["requested_slot"] == "callback_name"


def test_a_possible_red_flag_is_asked_about_in_the_visitors_own_words(stack):
    sender, replies = converse(
        stack,
        "my lower back hurts since last week and my foot slaps down on the floor when i walk",
        {"confirm_red_flag": "yes, it's getting worse"},
        stop_at=None,
    )
    joined = texts(replies)
    assert "my foot slaps down" in joined or stack.tracker(sender)["slots"]["red_flags"]
    assert stack.tracker(sender)["slots"]["triage_result"] == "emergency"
    assert BOOKING not in joined


def test_an_answer_that_only_raises_a_possible_flag_moves_on_without_a_loop(stack):
    sender, replies = converse(
        stack,
        "my back is sore low down since wednesday i think i slept funny on the couch",
        {
            "radiation": "no",
            "leg_numbness": "no",
            "worse_sitting": "rolling over in bed and bending down",
            "screen_cauda": "no",
            "screen_serious": "no",
            "screen_injury_night": "it hurts when i roll over at night but if i find the right"
            " position its ok",
            "confirm_red_flag": "no",
        },
    )
    joined = texts(replies)
    assert joined.count("didn't quite understand") <= 1, joined
    assert stack.tracker(sender)["slots"]["triage_result"] == "acute", joined


def test_a_red_flag_after_the_result_ends_what_is_going_on(stack):
    sender, _ = converse(
        stack,
        "my lower back is sore since i moved a couch 5 days ago",
        {"radiation": "no", "leg_numbness": "no", "worse_sitting": "bending", **NO_SCREEN},
    )
    assert stack.tracker(sender)["slots"]["triage_result"] == "acute"
    after = texts(stack.chat(sender, "oh and since yesterday i can't feel the paper when i wipe"))
    assert stack.tracker(sender)["slots"]["triage_result"] == "emergency"
    assert "911" in after and BOOKING not in after


def test_a_red_flag_after_a_question_is_screened(stack):
    sender = uuid.uuid4().hex
    stack.chat(sender, "how much is a first visit?")
    replies = texts(
        stack.chat(sender, "also my back hurts and i've had shaking chills and a fever")
    )
    assert stack.tracker(sender)["slots"]["triage_result"] == "emergency"
    assert BOOKING not in replies
