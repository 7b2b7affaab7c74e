"""The Telegram channel in-process: a scripted bot, the fake Bot API, secret-token webhooks."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.exceptions import RasaException

from bot.channels.buttons import callback_data, keyboard_rows, payload_for_token
from bot.channels.telegram import REQUIRED, VerifiedTelegramInput
from bot.channels.verification import Verdict, check_secret_token
from tests.support import payloads
from tests.support.channel_harness import YES_NO, ScriptedBot, mutations, post, serving, text
from tests.support.fake_platforms import FakePlatforms

TOKEN = "5550001:AAH-unit-test-token"
SECRET = "unit_test-secret"
LONG_PAYLOAD = '/inform{"pain_pattern":"recurrent","duration":730,"note":"a payload over 64 bytes"}'


def run(scenario) -> Any:
    return asyncio.run(scenario())


def make_channel(api: str, bot_name: str = "BackChatTestBot", **kwargs) -> VerifiedTelegramInput:
    return VerifiedTelegramInput(
        TOKEN, bot_name, None, secret_token=SECRET, api_url=f"{api}/telegram", **kwargs
    )


async def with_channel(bot: ScriptedBot, requests: list[bytes], bot_name="BackChatTestBot"):
    fake = FakePlatforms()
    async with fake.serve() as api:
        channel = make_channel(api, bot_name)
        async with serving(channel, bot) as url:
            results = [await post(url, b, payloads.telegram_headers(SECRET)) for b in requests]
    return results, fake


def test_the_secret_token_is_compared_in_constant_time():
    assert check_secret_token(SECRET, SECRET) is Verdict.VALID
    assert check_secret_token(SECRET, None) is Verdict.MISSING
    assert check_secret_token(SECRET, "") is Verdict.MISSING
    assert check_secret_token(SECRET, SECRET[:-1]) is Verdict.FORGED
    assert check_secret_token(SECRET, "é" + SECRET) is Verdict.FORGED


def test_short_titles_share_a_row_and_long_ones_get_their_own():
    buttons = [
        *YES_NO,
        {"title": "Trouble with bladder or bowel control", "payload": "/red_flag"},
        {"title": "Clinic page", "url": "https://example-clinic.ca/"},
    ]
    rows = [[(k.text, k.callback_data, k.url) for k in row] for row in keyboard_rows(buttons)]
    assert rows == [
        [("Yes", "/affirm", None), ("No", "/deny", None), ("Not sure", "/dont_know", None)],
        [("Trouble with bladder or bowel control", "/red_flag", None)],
        [("Clinic page", None, "https://example-clinic.ca/")],
    ]


def test_a_payload_over_64_bytes_travels_as_a_hash_and_comes_back():
    token = callback_data(LONG_PAYLOAD)
    assert token.startswith("#") and len(token.encode()) <= 64
    assert callback_data("/affirm") == "/affirm"
    events = [BotUttered("How long?", {"buttons": [{"title": "Years", "payload": LONG_PAYLOAD}]})]
    assert payload_for_token(token, events) == LONG_PAYLOAD
    assert payload_for_token("#unknown", events) is None


def test_replies_are_sent_with_an_inline_keyboard():
    bot = ScriptedBot(lambda said: [text("Hello!"), text("Numb?", buttons=YES_NO)])
    results, fake = run(lambda: with_channel(bot, [payloads.telegram_text(77, "hi")]))
    assert results == [(200, "success")]
    sent = fake.telegram("sendMessage", 77)
    assert [m["text"] for m in sent] == ["Hello!", "Numb?"]
    assert "reply_markup" not in sent[0]
    keys = sent[1]["reply_markup"]["inline_keyboard"]
    assert keys == [[{"text": b["title"], "callback_data": b["payload"]} for b in YES_NO]]
    [(sender, said, update_id)] = bot.handled
    assert (sender, said) == ("telegram:77", "hi") and update_id.isdigit()  # the update id is kept


def test_start_is_a_greeting_and_restart_is_followed_by_one():
    bot = ScriptedBot()
    requests = [
        payloads.telegram_text(5, "/start"),
        payloads.telegram_text(5, "/start@BackChatTestBot"),
        payloads.telegram_text(5, "/restart"),
    ]
    results, _ = run(lambda: with_channel(bot, requests))
    assert [status for status, _ in results] == [200, 200, 200]
    assert bot.texts == ["/greet", "/greet", "/restart", "/greet"]


def test_the_bot_name_is_checked_once_and_a_wrong_one_refuses_updates():
    bot = ScriptedBot()
    requests = [payloads.telegram_text(5, "one"), payloads.telegram_text(5, "two")]
    results, fake = run(lambda: with_channel(bot, requests))
    assert [s for s, _ in results] == [200, 200] and len(fake.telegram("getMe")) == 1

    bot = ScriptedBot()
    results, _ = run(lambda: with_channel(bot, requests, bot_name="SomeOtherBot"))
    assert [s for s, _ in results] == [503, 503] and bot.handled == []


def test_a_tap_on_a_long_payload_is_resolved_from_the_conversation():
    bot = ScriptedBot()

    async def scenario():
        fake = FakePlatforms()
        async with fake.serve() as api:
            channel = make_channel(api)

            async def events_of(app, sender_id):
                buttons = [{"title": "Years", "payload": LONG_PAYLOAD}]
                return [UserUttered("hi"), BotUttered("How long?", {"buttons": buttons})]

            channel.events_of = events_of
            async with serving(channel, bot) as url:
                body = payloads.telegram_callback(9, callback_data(LONG_PAYLOAD), 31)
                result = await post(url, body, payloads.telegram_headers(SECRET))
        return result, fake

    result, fake = run(scenario)
    assert result == (200, "success") and bot.texts == [LONG_PAYLOAD]
    assert fake.telegram("answerCallbackQuery")
    assert fake.telegram("editMessageReplyMarkup", 9) == [{"chat_id": "9", "message_id": "31"}]


def test_edited_messages_count_and_stickers_are_ignored():
    edited = json.loads(payloads.telegram_text(3, "my back hurts"))
    edited["edited_message"] = edited.pop("message")
    sticker = json.loads(payloads.telegram_text(3, "x"))
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "CAAD", "width": 512, "height": 512}
    bot = ScriptedBot()
    requests = [json.dumps(edited).encode(), json.dumps(sticker).encode()]
    results, _ = run(lambda: with_channel(bot, requests))
    assert results == [(200, "success"), (200, "ignored")]
    assert bot.texts == ["my back hurts"]


def test_a_bot_failure_still_answers_200():
    results, _ = run(lambda: with_channel(ScriptedBot(), [payloads.telegram_text(3, "crash")]))
    assert results == [(200, "success")]


def test_building_the_output_channel_calls_nobody():
    channel = make_channel("http://127.0.0.1:9")  # nothing listens there
    output = channel.get_output_channel()
    assert output.server.api_url(TOKEN, "sendMessage") == (
        f"http://127.0.0.1:9/telegram/bot{TOKEN}/sendMessage"
    )


def test_off_when_unset_and_refused_when_the_secret_breaks_telegrams_rule(monkeypatch, caplog):
    for name in ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO, logger="bot.channels")
    channel = VerifiedTelegramInput.from_credentials(dict(REQUIRED))
    assert not channel.enabled and channel.get_output_channel() is None
    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("bot.channels")]
    assert "Telegram channel off" in line and "TELEGRAM_WEBHOOK_SECRET" in line

    monkeypatch.setenv("TELEGRAM_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BOT_NAME", "BackChatTestBot")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "has spaces!")
    with pytest.raises(RasaException, match="TELEGRAM_WEBHOOK_SECRET"):
        VerifiedTelegramInput.from_credentials(dict(REQUIRED))
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    channel = VerifiedTelegramInput.from_credentials(dict(REQUIRED))
    assert channel.enabled and channel.secret_token == SECRET and channel.webhook_url is None


def test_no_update_makes_it_answer_500():
    documents = [
        json.loads(payloads.telegram_text(8, "hi")),
        json.loads(payloads.telegram_callback(8, "/affirm", 4)),
    ]
    bodies = []
    for document in documents:
        for variant in mutations(document):
            if isinstance(variant, dict) and isinstance(variant.get("update_id"), int):
                variant["update_id"] += len(bodies)  # not a replay
            bodies.append(json.dumps(variant).encode())
    results, _ = run(lambda: with_channel(ScriptedBot(), bodies))
    assert len(bodies) > 300
    assert {status for status, _ in results} <= {200, 400}
