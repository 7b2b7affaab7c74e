"""The widget's socket.io channel on the real server: bad payloads get an error ack or a
clear reply, never a dropped socket, and the conversation goes on."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.widget_client import WidgetClient


def run(scenario):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


BAD_PAYLOADS = [
    ("a string", {"status": "error", "error": "bad_message"}),
    (["a", "list"], {"status": "error", "error": "bad_message"}),
    (None, {"status": "error", "error": "bad_message"}),
    ({"message": 42}, {"status": "error", "error": "bad_message"}),
    ({"message": {"text": "hi"}}, {"status": "error", "error": "bad_message"}),
    ({"message": "hi", "metadata": "not json"}, {"status": "ok"}),
    ({"message": "hi", "message_id": 12345}, {"status": "ok"}),
]


@pytest.mark.parametrize(("payload", "ack"), BAD_PAYLOADS)
def test_bad_payloads_get_an_ack_and_the_socket_stays_usable(stack, payload, ack):
    async def scenario():
        async with WidgetClient(stack.rasa_url, "polling") as widget:
            got = await widget.client.call("user_uttered", payload, timeout=30)
            replies = await widget.say("my lower back hurts")
            return got, replies

    got, replies = run(scenario)
    assert got == ack
    assert replies, "the same socket goes on"


def test_long_empty_and_foreign_messages_get_clear_replies(stack, clinic):
    async def scenario():
        async with WidgetClient(stack.rasa_url, "polling") as widget:
            return [
                await widget.say("my back hurts. " * 7000),
                await widget.say("   "),
                await widget.say("me duele la espalda"),
                await widget.say("my lower back hurts"),
            ]

    long, empty, foreign, normal = run(scenario)
    assert "first 2,000 characters" in long[0] and len(long) >= 2
    assert empty == ["I didn't receive any text. Please type your question in a few words."]
    assert "only understand English" in foreign[0] and clinic.phone in foreign[0]
    assert normal and not any("technical problem" in text for text in normal)
