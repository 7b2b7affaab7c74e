"""Every channel owns its conversation ids: a REST caller cannot name a platform's visitor.

Issue 17 (High): ``POST /webhooks/rest/webhook {"sender": "whatsapp:+1555...", ...}`` used to
read and answer for that WhatsApp visitor. Against the real Rasa server.
"""

import json
import urllib.error
import urllib.request

import pytest

from tests.channels.visitors import MessengerVisitor, TelegramVisitor, TwilioVisitor

pytestmark = [pytest.mark.servers]


def rest(rasa, sender: str, text: str):
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        rasa.webhook("rest"), data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("whatsapp", [True, False], ids=["whatsapp", "sms"])
def test_a_rest_caller_cannot_name_a_twilio_conversation(rasa, whatsapp):
    visitor = TwilioVisitor(rasa, whatsapp=whatsapp)
    visitor.say("hi")
    status, answer = rest(rasa, visitor.conversation, "not sure")
    assert status == 400, answer
    status, answer = rest(rasa, visitor.sender, "not sure")  # the attack of issue 17
    if whatsapp:
        assert status == 400, answer  # "whatsapp:+1..." is in a platform's namespace
    else:
        assert status == 200  # "+1780...": a REST conversation of its own
        assert rasa.user_texts(visitor.sender) == ["not sure"]
    assert rasa.user_texts(visitor.conversation) == ["hi"]


@pytest.mark.parametrize("kind", [TelegramVisitor, MessengerVisitor], ids=["telegram", "messenger"])
def test_a_rest_caller_cannot_name_a_telegram_or_messenger_conversation(rasa, kind):
    visitor = kind(rasa)
    visitor.say("hi")
    status, _ = rest(rasa, visitor.conversation, "not sure")
    assert status == 400
    status, _ = rest(rasa, visitor.sender, "not sure")  # a REST conversation of its own
    assert status == 200
    assert rasa.user_texts(visitor.conversation) == ["hi"]
    assert rasa.user_texts(visitor.sender) == ["not sure"]


def test_rest_conversations_keep_the_callers_id(rasa):
    sender = "eval-v001-0123abcd"  # as bot.evaluation names its visitors
    status, replies = rest(rasa, sender, "hi")
    assert status == 200 and replies
    assert {reply["recipient_id"] for reply in replies} == {sender}
    assert rasa.user_texts(sender) == ["hi"]
