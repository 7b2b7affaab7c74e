"""The Twilio channel in-process: a scripted bot, the fake REST API, signed forms."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels.twilio import REQUIRED, VerifiedTwilioInput, VerifiedTwilioOutput
from bot.channels.verification import Verdict, check_twilio_signature
from bot.channels.webhook_io import form_params
from tests.support import payloads
from tests.support.channel_harness import YES_NO, ScriptedBot, post, serving, text
from tests.support.fake_platforms import FakePlatforms

SID = "AC" + "0" * 32
AUTH = "unit-test-auth-token"
SMS_NUMBER = "+15875550100"
WHATSAPP_NUMBER = "+14155238886"
EMERGENCY = text("Call 911 now.", utter_action="utter_emergency")


def run(scenario) -> Any:
    return asyncio.run(scenario())


async def exchange(
    bot: ScriptedBot,
    messages: list[dict[str, str]],
    webhook_url: str | None = None,
    sign_url: str | None = None,
    events: list | None = None,
    whatsapp_number: str | None = WHATSAPP_NUMBER,
):
    """Post each form, signed over ``sign_url`` (default: the URL really called)."""
    fake = FakePlatforms()
    async with fake.serve() as api:
        channel = VerifiedTwilioInput(
            SID, AUTH, SMS_NUMBER, whatsapp_number, webhook_url, api_url=f"{api}/twilio"
        )
        if events is not None:

            async def events_of(app, sender_id):
                return events

            channel.events_of = events_of
        async with serving(channel, bot) as url:
            results = []
            for params in messages:
                body, headers = payloads.twilio_request(AUTH, sign_url or url, params)
                results.append(await post(url, body, headers))
    return results, fake


def sms(text_: str, sender: str = "+17805550123") -> dict[str, str]:
    to = f"whatsapp:{WHATSAPP_NUMBER}" if sender.startswith("whatsapp:") else SMS_NUMBER
    return payloads.twilio_params(sender, text_, to, SID)[0]


def test_the_signature_covers_url_and_every_parameter():
    url = "https://clinic.example/webhooks/twilio/webhook"
    params = sms("hi")
    good = payloads.twilio_signature(AUTH, url, params)
    parsed = form_params(payloads.twilio_request(None, url, params)[0])
    assert check_twilio_signature(AUTH, url, parsed, good) is Verdict.VALID
    assert check_twilio_signature(AUTH, url, parsed, None) is Verdict.MISSING
    assert check_twilio_signature("other", url, parsed, good) is Verdict.FORGED
    assert check_twilio_signature(AUTH, url + "?x=1", parsed, good) is Verdict.FORGED
    tampered = form_params(payloads.twilio_request(None, url, {**params, "Body": "no"})[0])
    assert check_twilio_signature(AUTH, url, tampered, good) is Verdict.FORGED
    assert parsed.get("FromZip") == ""  # blank values are kept: Twilio signs them


def test_a_turn_goes_out_as_one_sms_with_the_advice_first_and_numbered_options():
    bot = ScriptedBot(lambda said: [text("Thanks.", buttons=YES_NO), EMERGENCY])
    results, fake = run(lambda: exchange(bot, [sms("hi")]))
    assert results[0][0] == 200 and "<Response>" in results[0][1]
    [message] = fake.twilio_messages("+17805550123")
    assert message["From"] == SMS_NUMBER
    assert message["Body"] == (
        "Call 911 now.\n\nThanks.\n\n1. Yes\n2. No\n3. Not sure\n"
        "(Reply with a number, or type your answer.)"
    )
    assert bot.handled[0][2].startswith("SM")  # Twilio's MessageSid goes to the tracker


def test_whatsapp_replies_come_from_the_whatsapp_number():
    sender = "whatsapp:+17805550123"
    results, fake = run(lambda: exchange(ScriptedBot(), [sms("hi", sender)]))
    assert results[0][0] == 200
    assert fake.twilio_messages(sender)[0]["From"] == f"whatsapp:{WHATSAPP_NUMBER}"


def test_without_a_whatsapp_number_whatsapp_gets_nothing_and_a_log_line(caplog):
    sender = "whatsapp:+17805550123"
    results, fake = run(lambda: exchange(ScriptedBot(), [sms("hi", sender)], whatsapp_number=None))
    assert results[0][0] == 200 and fake.twilio_messages(sender) == []
    assert "No Twilio number configured for WhatsApp" in caplog.text


def test_behind_a_proxy_the_signature_is_over_twilio_webhook_url():
    public = "https://backchat.example-clinic.ca/webhooks/twilio/webhook"
    bot = ScriptedBot()
    results, _ = run(lambda: exchange(bot, [sms("hi")], webhook_url=public, sign_url=public))
    assert results[0][0] == 200 and bot.texts == ["hi"]
    bot = ScriptedBot()
    results, _ = run(lambda: exchange(bot, [sms("hi")], webhook_url=public))  # signed for local
    assert results[0][0] == 403 and bot.handled == []


@pytest.mark.parametrize(
    "reply, expected",
    [("2", "/deny"), (" 2. ", "/deny"), ("#3", "/dont_know"), ("no", "/deny"), ("4", "4")],
)
def test_a_number_or_a_title_picks_the_offered_option(reply, expected):
    events = [UserUttered("hi"), BotUttered("Numb?", {"buttons": YES_NO}), BotUttered("(more)")]
    bot = ScriptedBot()
    run(lambda: exchange(bot, [sms(reply)], events=events))
    assert bot.texts == [expected]


def test_a_number_means_nothing_once_the_visitor_has_spoken_since():
    events = [BotUttered("Numb?", {"buttons": YES_NO}), UserUttered("no"), BotUttered("Name?")]
    bot = ScriptedBot()
    run(lambda: exchange(bot, [sms("2")], events=events))
    assert bot.texts == ["2"]


def test_replays_opt_outs_and_empty_bodies_reach_no_bot():
    bot = ScriptedBot()
    first = sms("hi")
    stop = {**sms("STOP"), "OptOutType": "STOP"}
    picture = {**sms(""), "NumMedia": "1", "MediaUrl0": "https://api.twilio.com/media/1"}
    results, fake = run(lambda: exchange(bot, [first, first, stop, picture]))
    assert [status for status, _ in results] == [200, 200, 200, 200]
    assert bot.texts == ["hi"]
    assert len(fake.twilio_messages("+17805550123")) == 1


def test_a_bot_failure_still_answers_twilio():
    results, _ = run(lambda: exchange(ScriptedBot(), [sms("crash")]))
    assert results[0][0] == 200


def test_a_long_turn_is_split_at_paragraphs_under_1600_characters():
    paragraphs = [text(("word " * 150).strip()) for _ in range(5)]  # 749 characters each
    _, fake = run(lambda: exchange(ScriptedBot(lambda said: paragraphs), [sms("hi")]))
    bodies = [m["Body"] for m in fake.twilio_messages("+17805550123")]
    assert len(bodies) == 3 and all(len(b) <= 1600 for b in bodies)
    assert sum(b.count("word") for b in bodies) == 750


def test_the_output_channel_works_outside_a_turn_too():
    async def scenario():
        fake = FakePlatforms()
        async with fake.serve() as api:
            output = VerifiedTwilioOutput(SID, AUTH, SMS_NUMBER, api_url=f"{api}/twilio")
            await output.send_response("+17805550999", text("Staff reply", buttons=YES_NO))
        return fake

    [message] = run(scenario).twilio_messages("+17805550999")
    assert message["Body"].startswith("Staff reply\n\n1. Yes")


def test_off_without_credentials_or_without_any_number(monkeypatch, caplog):
    names = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WHATSAPP_NUMBER")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO, logger="bot.channels")
    credentials = {
        **REQUIRED,
        "twilio_number": "${TWILIO_NUMBER}",
        "whatsapp_number": "${TWILIO_WHATSAPP_NUMBER}",
    }
    assert not VerifiedTwilioInput.from_credentials(credentials).enabled
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH)
    assert not VerifiedTwilioInput.from_credentials(credentials).enabled
    lines = [r for r in caplog.records if r.name.startswith("bot.channels")]
    assert [r.levelno for r in lines] == [logging.INFO, logging.WARNING]
    assert "TWILIO_NUMBER or TWILIO_WHATSAPP_NUMBER" in lines[1].getMessage()
    monkeypatch.setenv("TWILIO_WHATSAPP_NUMBER", WHATSAPP_NUMBER)
    channel = VerifiedTwilioInput.from_credentials(credentials)
    assert channel.enabled and channel.twilio_number is None


def test_no_signed_form_makes_it_answer_500():
    base = sms("hi")
    forms = [{k: v for k, v in base.items() if k != key} for key in base]
    forms += [{**base, key: ""} for key in base]
    forms += [{**base, key: "\u00a1" * 3} for key in base]
    for n, form in enumerate(forms):  # each with a message id of its own
        if form.get("MessageSid") == base["MessageSid"]:
            form["MessageSid"] += str(n)
    results, _ = run(lambda: exchange(ScriptedBot(), forms))
    assert {status for status, _ in results} <= {200, 400}
