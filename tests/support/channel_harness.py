"""One channel served by Sanic in-process, with a scripted bot instead of Rasa's agent.

For the fast tests in tests/unit: the channel's blueprint is mounted where Rasa mounts
it (``/webhooks/<name>``), and the bot answers through the channel's output channel
exactly as Rasa's processor does (``send_response`` with the message dict).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic, response

from tests.support.servers import serving_app

_app_names = itertools.count()

Reply = dict[str, Any]


def text(words: str, **extra: Any) -> Reply:
    return {"text": words, **extra}


YES_NO = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/dont_know"},
]


class ScriptedBot:
    """Records (sender, text, message id) and answers with ``script(text)``."""

    def __init__(self, script: Callable[[str], list[Reply]] | None = None):
        self.script = script or (lambda said: [text(f"echo: {said}")])
        self.handled: list[tuple[str, str, str | None]] = []

    async def __call__(self, message: UserMessage) -> None:
        self.handled.append((message.sender_id, message.text, message.message_id))
        if message.text == "crash":
            raise RuntimeError("the bot broke")
        for reply in self.script(message.text):
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> list[str]:
        return [said for _, said, _ in self.handled]


@contextlib.asynccontextmanager
async def serving(channel: InputChannel, bot: ScriptedBot):
    """Yields the channel's webhook URL, e.g. http://127.0.0.1:PORT/webhooks/twilio/webhook."""
    previous_mode = Sanic.test_mode
    Sanic.test_mode = True  # several apps in one process, one after the other
    app = Sanic(f"channel_test_{next(_app_names)}")
    app.blueprint(channel.blueprint(bot), url_prefix=f"/webhooks/{channel.name()}")
    app.add_route(lambda request: response.text("up"), "/")  # Rasa's app has routes too
    try:
        async with serving_app(app) as url:
            yield f"{url}/webhooks/{channel.name()}/webhook"
    finally:
        Sanic.test_mode = previous_mode


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


ODD_VALUES = [None, 0, -1, 1.5, True, "", "  ", "x", "9" * 300, [], {}, [{}], {"id": {}}]


def mutations(document: Any) -> list[Any]:
    """The document with one node at a time replaced by an odd value, or removed."""
    variants: list[Any] = []

    def walk(node: Any, rebuild: Callable[[Any], Any]) -> None:
        for odd in ODD_VALUES:
            variants.append(rebuild(odd))
        if isinstance(node, dict):
            for key, child in node.items():
                variants.append(rebuild({k: v for k, v in node.items() if k != key}))
                walk(child, lambda new, key=key: rebuild({**node, key: new}))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, lambda new, i=index: rebuild([*node[:i], new, *node[i + 1 :]]))

    walk(document, lambda new: new)
    return variants
