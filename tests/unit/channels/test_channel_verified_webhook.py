"""The webhook pipeline's order, tested once for every platform channel built on it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import response
from sanic.exceptions import InvalidUsage

from bot.channels.verification import Verdict
from bot.channels.verified_webhook import VerifiedWebhookInput, WebhookRefusal
from bot.channels.webhook_io import MAX_BODY_BYTES, json_object
from tests.support.channel_harness import ScriptedBot, post, serving

GOOD = "good"


class RecordingWebhook(VerifiedWebhookInput):
    """A platform whose signature is a header and whose items are ``{"id", "text"}``."""

    title = "Recording"

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[str] = []

    @classmethod
    def name(cls) -> str:
        return "recording"

    @property
    def enabled(self) -> bool:
        return True

    def get_output_channel(self) -> CollectingOutputChannel:
        return CollectingOutputChannel()

    def verdict(self, request: Any, body: bytes) -> Verdict:
        self.steps.append("verdict")
        signature = request.headers.get("X-Signature")
        if not signature:
            return Verdict.MISSING
        return Verdict.VALID if signature == GOOD else Verdict.FORGED

    async def parse(self, request: Any, body: bytes) -> list[dict[str, str]]:
        self.steps.append("parse")
        items = json_object(body).get("items")
        if not isinstance(items, list):
            raise InvalidUsage("no items")
        if items == ["busy"]:
            raise WebhookRefusal("come back later", 503)
        return items

    def item_id(self, item: dict[str, str]) -> str:
        return item["id"]

    async def deliver(self, request: Any, items: list[dict[str, str]], on_new_message) -> Any:
        self.steps.append("deliver")
        for item in items:
            message = UserMessage(item["text"], self.output, "visitor", message_id=item["id"])
            await self.guard.handle(on_new_message, message)
        return response.text("success")


def body(*items: Any) -> bytes:
    return json.dumps({"items": list(items)}).encode()


def item(message_id: str, text: str = "hi") -> dict[str, str]:
    return {"id": message_id, "text": text}


def exchange(
    requests: list[tuple[bytes, dict[str, str]]],
) -> tuple[list[tuple[int, str]], RecordingWebhook, ScriptedBot]:
    channel, bot = RecordingWebhook(), ScriptedBot()

    async def scenario() -> list[tuple[int, str]]:
        async with serving(channel, bot) as url:
            return [await post(url, data, headers) for data, headers in requests]

    return asyncio.run(scenario()), channel, bot


SIGNED = {"X-Signature": GOOD}


def test_an_oversized_body_is_refused_before_its_signature_is_looked_at():
    results, channel, bot = exchange([(b"x" * (MAX_BODY_BYTES + 1), SIGNED)])
    assert results[0][0] == 413
    assert channel.steps == [] and bot.handled == []


@pytest.mark.parametrize(
    "headers, status", [({}, 401), ({"X-Signature": "forged"}, 403)], ids=["missing", "forged"]
)
def test_a_bad_signature_is_refused_before_the_body_is_parsed(headers, status):
    results, channel, bot = exchange([(b"{not json", headers)])
    assert results[0] == (status, "missing signature" if status == 401 else "invalid signature")
    assert channel.steps == ["verdict"] and bot.handled == []


@pytest.mark.parametrize(
    "data, reason",
    [(b"{not json", "body is not JSON"), (b"[1]", "not a JSON object"), (b"{}", "no items")],
)
def test_a_malformed_signed_body_gets_a_400_that_says_why(data, reason):
    results, channel, bot = exchange([(data, SIGNED)])
    status, answer = results[0]
    assert status == 400 and reason in answer
    assert channel.steps == ["verdict", "parse"] and bot.handled == []


def test_a_refusal_while_parsing_is_answered_as_the_channel_says():
    results, channel, bot = exchange([(body("busy"), SIGNED)])
    assert results == [(503, "come back later")] and bot.handled == []


def test_a_duplicate_is_delivered_once():
    first, again = body(item("m1")), body(item("m1"))
    results, channel, bot = exchange([(first, SIGNED), (again, SIGNED)])
    assert results == [(200, "success"), (200, "duplicate")]
    assert bot.handled == [("visitor", "hi", "m1")]
    assert channel.steps == ["verdict", "parse", "deliver", "verdict", "parse"]


def test_only_the_new_items_of_a_request_are_delivered():
    requests = [(body(item("m1", "one")), SIGNED), (body(item("m1"), item("m2", "two")), SIGNED)]
    results, _, bot = exchange(requests)
    assert [status for status, _ in results] == [200, 200]
    assert bot.texts == ["one", "two"]


def test_a_request_without_items_still_reaches_deliver():
    results, channel, bot = exchange([(body(), SIGNED)])
    assert results == [(200, "success")] and channel.steps[-1] == "deliver"
