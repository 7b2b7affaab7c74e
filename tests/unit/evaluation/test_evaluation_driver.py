"""The HTTP client, the visitor script and the driver, against a fake Rasa server."""

from __future__ import annotations

import pytest

from bot.evaluation.client import RasaClient, RasaError
from bot.evaluation.driver import play
from bot.evaluation.judge import judge
from bot.evaluation.runner import run_visitors
from bot.evaluation.script import NOT_SURE, Script
from bot.evaluation.state import TrackerState, read_state
from bot.evaluation.visitors import Extra, RedFlagTag, Visitor
from tests.support.fake_rasa import FakeRasa
from tests.support.servers import free_port

LINK = "example-clinic.ca/book"


def visitor(**overrides) -> Visitor:
    fields = {
        "id": "v1",
        "opener": "my lower back hurts",
        "expected": "acute",
        "answers": {"pain_location": "lower back", "pain_duration_days": "3 weeks"},
    }
    fields.update(overrides)
    return Visitor(**fields)


@pytest.fixture
def fake():
    with FakeRasa() as server:
        yield server


@pytest.fixture
def client(fake):
    return RasaClient(fake.url, "secret", timeout=5)


def sources(conversation):
    return [turn.source for turn in conversation.turns]


# --- driver ---------------------------------------------------------------------------


def test_answers_the_two_questions_then_stops_at_the_result(fake, client):
    conversation = play(client, visitor())
    assert sources(conversation) == ["opener", "answer:pain_location", "answer:pain_duration_days"]
    assert conversation.stop_reason == "result"
    assert conversation.final.triage_result == "acute"
    assert conversation.final.duration_days == 21
    assert fake.received[conversation.sender] == ["my lower back hurts", "lower back", "3 weeks"]
    assert conversation.turns[0].state.requested_slot == "pain_location"
    assert conversation.turns[0].state.active_loop == "triage_form"


def test_a_question_without_an_answer_gets_not_sure(fake, client):
    conversation = play(client, visitor(answers={"pain_duration_days": "10 weeks"}))
    assert fake.received[conversation.sender][1] == NOT_SURE
    assert sources(conversation)[1] == "not_sure:pain_location"
    assert conversation.final.triage_result == "subacute"


def test_extras_go_at_their_turn_and_after_their_answer(fake, client):
    extras = (
        Extra("does acupuncture hurt?", after_turn=1),
        Extra("sorry, i meant 4 months", after_answer="pain_duration_days"),
    )
    conversation = play(client, visitor(extra=extras))
    assert fake.received[conversation.sender] == [
        "my lower back hurts",
        "does acupuncture hurt?",
        "lower back",
        "3 weeks",
        "sorry, i meant 4 months",
    ]
    assert sources(conversation)[1] == "extra:0"
    assert conversation.stop_reason == "result"


def test_extras_still_pending_are_sent_after_the_result(fake, client):
    conversation = play(client, visitor(extra=(Extra("how much is it?", after_turn=20),)))
    assert sources(conversation)[-1] == "extra:0"
    assert conversation.stop_reason == "result"


def test_a_greeting_is_followed_by_the_visitors_followup(fake, client):
    conversation = play(client, visitor(opener="hi", followups=("my back hurts",)))
    assert fake.received[conversation.sender][:3] == ["hi", "my back hurts", "lower back"]
    assert conversation.final.triage_result == "acute"


def test_stalls_when_the_bot_asks_nothing_and_the_visitor_has_nothing_left(client):
    conversation = play(client, visitor(opener="hello"))
    assert conversation.stop_reason == "stalled"
    assert conversation.final.triage_result is None
    assert len(conversation.turns) == 1


def test_stops_after_max_turns():
    with FakeRasa(never_finish=True) as server:
        conversation = play(RasaClient(server.url, "secret", timeout=5), visitor())
        assert len(conversation.turns) == 25
        assert len(server.received[conversation.sender]) == 25
    assert conversation.stop_reason == "max_turns"


def test_a_red_flag_in_an_answer_ends_triage_and_is_judged(fake, client):
    v = visitor(
        expected="emergency",
        answers={"pain_location": "lower back, and i cant pee"},
        red_flag=RedFlagTag("bladder_dysfunction", "pain_location"),
    )
    conversation = play(client, v)
    assert conversation.final.triage_result == "emergency"
    assert conversation.final.red_flags == ("bladder_dysfunction",)
    outcome = judge(v, conversation, LINK)
    assert outcome.correct and outcome.flag_turn == 2 and not outcome.booking_after_flag


def test_a_booking_link_after_a_red_flag_is_caught():
    v = visitor(expected="emergency", opener="back pain and i cant pee")
    with FakeRasa(booking_after_emergency=True) as server:
        conversation = play(RasaClient(server.url, "secret", timeout=5), v)
    outcome = judge(v, conversation, "https://example-clinic.ca/book")
    assert outcome.flag_turn == 1 and outcome.booking_turn == 1
    assert outcome.failed


def test_every_play_uses_a_fresh_sender(fake, client):
    first, second = play(client, visitor()), play(client, visitor())
    assert first.sender != second.sender
    assert first.sender.startswith("eval-v1-")


def test_the_runner_plays_concurrently_and_keeps_the_visitors_order(fake, client):
    visitors = [visitor(id=f"v{i}", answers={"pain_duration_days": f"{i} weeks"}) for i in range(9)]
    outcomes = run_visitors(client, visitors, LINK, workers=4)
    assert [o.visitor_id for o in outcomes] == [v.id for v in visitors]
    assert [o.predicted_days for o in outcomes] == [7.0 * i for i in range(9)]
    assert len({o.sender for o in outcomes}) == 9


def test_http_errors_end_the_conversation_without_raising(fake):
    conversation = play(RasaClient(fake.url, "wrong", timeout=5), visitor())
    assert conversation.stop_reason == "error"
    assert "401" in conversation.error and "--token" in conversation.error
    assert "wrong" not in conversation.error  # the token is never echoed


# --- client ---------------------------------------------------------------------------


def test_client_reports_an_unreachable_server():
    port = free_port()  # nothing listens there
    with pytest.raises(RasaError, match="cannot reach Rasa"):
        RasaClient(f"http://127.0.0.1:{port}", timeout=2).send("s", "hi")


def test_client_reports_a_wrong_path(fake):
    with pytest.raises(RasaError, match="HTTP 404"):
        RasaClient(fake.url + "/nope", "secret", timeout=5).send("s", "hi")


def test_client_quotes_the_sender_and_reads_the_version(fake, client):
    client.send("a b/c", "my back hurts")
    assert client.tracker("a b/c")["slots"]["requested_slot"] == "pain_location"
    assert client.version() == {"version": "3.6.21"}


def test_client_rejects_a_url_without_scheme():
    with pytest.raises(ValueError, match="http"):
        RasaClient("localhost:5005")


# --- script and tracker state (no HTTP) -----------------------------------------------


def test_script_precedence():
    script = Script(visitor(extra=(Extra("faq?", after_turn=2),), followups=("my back hurts",)))
    asking = TrackerState(requested_slot="pain_location", active_loop="triage_form")
    assert script.next(1, TrackerState()).source == "followup:0"
    assert script.next(1, asking).source == "answer:pain_location"
    assert script.next(2, asking).source == "extra:0"
    assert script.next(3, TrackerState(requested_slot="callback_name")).text == NOT_SURE
    assert script.next(4, TrackerState(triage_result="acute")) is None
    assert script.stop_reason == "result"


def test_script_keeps_going_while_the_form_is_active_even_with_a_result():
    state = TrackerState(requested_slot="radiation", triage_result="acute", active_loop="f")
    assert not state.finished
    assert Script(visitor()).next(1, state).source == "not_sure:radiation"


def test_read_state_tolerates_odd_trackers():
    assert read_state({}) == TrackerState()
    state = read_state(
        {
            "slots": {"red_flags": "fever", "pain_duration_days": "3", "triage_result": ""},
            "active_loop": {"name": None},
        }
    )
    assert state.red_flags == ("fever",)
    assert state.duration_days is None and state.triage_result is None
    assert state.active_loop is None


# --- visitor modes --------------------------------------------------------------------


def _asking(slot):
    return TrackerState(requested_slot=slot, active_loop="triage_form")


def test_own_words_visitor_says_no_to_safety_questions_after_telling_the_flag():
    told = visitor(
        expected="emergency",
        answers={"screen_cauda": "yes i already said, i keep wetting myself"},
        red_flag=RedFlagTag("bladder_dysfunction", "opener"),
    )
    truthful, own = Script(told), Script(told, "own_words")
    truthful.opener(), own.opener()
    assert truthful.next(1, _asking("screen_cauda")).text.startswith("yes")
    assert own.next(1, _asking("screen_cauda")).text == "no"


def test_own_words_keeps_a_flag_told_in_answer_to_the_safety_question():
    screened = visitor(
        expected="emergency",
        answers={"screen_cauda": "yes, i leak when i cough since last week"},
        red_flag=RedFlagTag("bladder_dysfunction", "screen_cauda"),
    )
    script = Script(screened, "own_words")
    script.opener()
    assert script.next(1, _asking("screen_cauda")).text.startswith("yes")


def test_the_targeted_red_flag_question_is_answered_truthfully():
    emergency = visitor(expected="emergency", red_flag=RedFlagTag("leg_weakness", "opener"))
    cases = ((emergency, "leg_weakness", "yes"), (emergency, "fever", "no"), (visitor(), "x", "no"))
    for person, asked, reply in cases:
        script = Script(person, "own_words")
        script.opener()
        state = TrackerState(
            requested_slot="confirm_red_flag",
            active_loop="triage_form",
            slots={"pending_red_flag": asked},
        )
        message = script.next(1, state)
        assert (message.source, message.text) == ("answer:confirm_red_flag", reply)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        Script(visitor(), "liar")


def test_own_words_visitor_answers_truthfully_until_the_flag_is_told():
    told_later = visitor(
        expected="emergency",
        answers={
            "pain_location": "low back. i had cancer 5 yrs ago",
            "screen_serious": "yes, the cancer",
        },
        red_flag=RedFlagTag("cancer_history", "pain_location"),
    )
    script = Script(told_later, "own_words")
    script.opener()
    assert script.next(1, _asking("screen_serious")).text.startswith("yes")  # not told yet
    script.next(2, _asking("pain_location"))  # now told
    assert script.next(3, _asking("screen_serious")).text == "no"
