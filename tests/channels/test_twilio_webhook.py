"""Twilio SMS and WhatsApp against the real Rasa server: signed forms in, REST API out."""

import re

import pytest

from tests.channels.server import SECRETS
from tests.channels.visitors import (
    BOOKING_URL,
    TwilioVisitor,
    assert_emergency_without_booking,
    triage_by_options,
)
from tests.support import payloads

pytestmark = [pytest.mark.servers]
TOKEN = SECRETS["TWILIO_AUTH_TOKEN"]
PUBLIC_URL = SECRETS["TWILIO_WEBHOOK_URL"]


def sms(sender: str, text: str):
    return payloads.twilio_params(
        sender, text, SECRETS["TWILIO_NUMBER"], SECRETS["TWILIO_ACCOUNT_SID"]
    )


def test_buttons_arrive_as_a_numbered_list_in_one_sms(rasa):
    visitor = TwilioVisitor(rasa)
    replies = visitor.say("hi")
    assert len(replies) == 1  # the welcome and the invitation in one message, in order
    body = replies[0].text
    assert body.index("not a doctor") < body.index("1. My lower back hurts")
    assert replies[0].options == [
        "My lower back hurts",
        "Pain in my buttock",
        "Pain down my leg",
        "I have a question",
    ]
    call = rasa.platforms.twilio_calls(visitor.sender)[0]
    assert call.path == f"/twilio/2010-04-01/Accounts/{SECRETS['TWILIO_ACCOUNT_SID']}/Messages.json"
    assert call.headers["Authorization"].startswith("Basic ")


def test_a_number_picks_that_option(rasa):
    visitor = TwilioVisitor(rasa)
    visitor.say("hi")
    visitor.say("2")
    assert rasa.user_texts(visitor.conversation)[-1] == '/inform{"body_part":"buttock"}'
    visitor.say("9")  # not an option shown: goes on as typed
    assert rasa.user_texts(visitor.conversation)[-1] == "9"


def test_whatsapp_replies_come_from_the_whatsapp_number(rasa):
    visitor = TwilioVisitor(rasa, whatsapp=True)
    replies = visitor.say("hi")  # TwilioVisitor checks From on every reply
    assert replies and replies[0].options
    assert rasa.platforms.twilio_messages(visitor.sender)[0]["From"] == "whatsapp:+14155238886"


@pytest.mark.parametrize(
    "sign",
    [
        pytest.param(lambda params, url: {}, id="missing"),
        pytest.param(
            lambda params, url: {
                "X-Twilio-Signature": payloads.twilio_signature("wrong-token", PUBLIC_URL, params)
            },
            id="forged",
        ),
        pytest.param(
            lambda params, url: {
                "X-Twilio-Signature": payloads.twilio_signature(
                    TOKEN, PUBLIC_URL, {**params, "Body": "something else"}
                )
            },
            id="body-altered",
        ),
        pytest.param(
            lambda params, url: {
                "X-Twilio-Signature": payloads.twilio_signature(TOKEN, url, params)
            },
            id="signed-for-another-url",
        ),
    ],
)
def test_unverified_requests_never_reach_the_bot(rasa, sign):
    sender = "+17805550199"
    params, _ = sms(sender, "hello")
    body, headers = payloads.twilio_request(None, PUBLIC_URL, params)
    status, _ = rasa.post("twilio", body, {**headers, **sign(params, rasa.webhook("twilio"))})
    assert status in (401, 403)
    assert rasa.user_texts(f"twilio:{sender}") == []
    assert rasa.platforms.twilio_messages(sender) == []


def test_a_replayed_request_is_dropped(rasa):
    visitor = TwilioVisitor(rasa)
    params, _ = sms(visitor.sender, "hi")
    body, headers = payloads.twilio_request(TOKEN, PUBLIC_URL, params)
    assert rasa.post("twilio", body, headers)[0] == 200
    sent = len(rasa.platforms.twilio_messages(visitor.sender))
    assert rasa.post("twilio", body, headers)[0] == 200
    assert rasa.user_texts(visitor.conversation) == ["hi"]
    assert len(rasa.platforms.twilio_messages(visitor.sender)) == sent


@pytest.mark.parametrize(
    "params, status",
    [
        ({}, 400),
        ({"From": "+17805550123"}, 400),
        ({"Body": "hi", "MessageSid": "SM1"}, 400),
    ],
)
def test_bad_forms_get_a_4xx(rasa, params, status):
    body, headers = payloads.twilio_request(TOKEN, PUBLIC_URL, params)
    assert rasa.post("twilio", body, headers)[0] == status


def test_a_huge_body_gets_413(rasa):
    body = b"Body=" + b"x" * 200_000
    assert rasa.post("twilio", body, {"X-Twilio-Signature": "x"})[0] == 413


@pytest.mark.parametrize("whatsapp", [False, True], ids=["sms", "whatsapp"])
def test_a_whole_triage_with_a_red_flag(rasa, whatsapp):
    visitor = TwilioVisitor(rasa, whatsapp=whatsapp)
    asked = triage_by_options(visitor)
    assert asked[-1] == "screen_cauda"
    assert_emergency_without_booking(visitor)
    emergency = visitor.replies[-1].text
    assert emergency.startswith("Please don't wait")  # the advice first
    assert not re.search(r"^\d+\. ", emergency, re.MULTILINE)


def test_a_red_flag_typed_mid_triage_ends_it(rasa):
    visitor = TwilioVisitor(rasa)
    visitor.say("my lower back hurts for 2 months")
    visitor.choose("Stays in my back")
    replies = visitor.say("I can't control my bladder")
    assert replies[0].text.startswith("Please don't wait")
    assert_emergency_without_booking(visitor)


def test_a_triage_without_red_flags_offers_booking_as_a_plain_url(rasa):
    answers = {
        "pain_duration_days": "Less than a week",
        "radiation": "Stays in my back",
        "leg_numbness": "No",
        "worse_sitting": "Bending or lifting",
        "screen_cauda": "No",
        "screen_serious": "No",
        "screen_injury_night": "No",
    }
    visitor = TwilioVisitor(rasa)
    triage_by_options(visitor, answers)
    assert rasa.tracker(visitor.conversation)["slots"]["triage_result"] == "acute"
    last = visitor.replies[-1].text
    assert f"{BOOKING_URL}." in last and "](" not in last
    assert "1. Request a call-back" in last
