"""Rasa's REST channel (POST /webhooks/rest/webhook), strict about what it accepts.

Same URL and answer as Rasa's ``rest`` channel (a JSON list of bot messages), with:

* a bounded body (``MAX_BODY_BYTES``, else 413) that must be a UTF-8 JSON object with a
  ``sender`` (string or number, at most 128 characters, without ``:``) and a ``message``
  string, and an optional ``metadata`` object (at most 1 KB of JSON, 4 levels deep:
  :mod:`bot.channels.metadata`); anything else is a 400 saying what is wrong;
* the ``sender`` names a REST conversation only: ids with ``:`` are the platform channels'
  (``twilio:...``, ``telegram:...``, ``facebook:...``, ``socketio:...``, see
  :mod:`bot.channels.namespaces`), so a REST caller can never read or answer for a visitor
  of another channel;
* the :class:`~bot.channels.guard.MessageGuard`: text cleaned and cut at 2,000 characters
  with a notice, empty text and more than 20 messages in 10 s per conversation or 60 per
  client address answered without Rasa (the latter two with 429), and an apology with
  the clinic's phone instead of silence (503 when Rasa failed outright, e.g. its lock
  store is down);
* no ``stream`` mode (400).

Register it in credentials.yml by module path; it keeps the name ``rest``::

    bot.channels.rest.GuardedRestInput:
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import MessageGuard, Outcome
from bot.channels.metadata import MetadataRefused, bounded_metadata
from bot.channels.namespaces import is_namespaced
from bot.channels.webhook_io import add_health_route, json_object, read_body

MAX_BODY_BYTES = 1024 * 1024  # a 100 kB message fits; it is then cut to 2,000 characters
MAX_SENDER_CHARS = 128
HTTP_STATUS = {Outcome.REFUSED: 429, Outcome.FAILED: 503}


class BadRequest(ValueError):
    """A request body that is not a message; the text says why."""


def parse_message(data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """``(sender, text, metadata)`` from a request body, or :class:`BadRequest`."""
    sender = data.get("sender")
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        raise BadRequest("'sender' is required: a string naming the conversation")
    sender = str(sender).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be 1 to {MAX_SENDER_CHARS} characters")
    if any(not char.isprintable() for char in sender):
        raise BadRequest("'sender' must not contain control characters")
    if is_namespaced(sender):
        raise BadRequest("'sender' must not contain ':' (those ids belong to other channels)")
    text = data.get("message")
    if not isinstance(text, str):
        raise BadRequest("'message' is required: a string")
    try:
        metadata = bounded_metadata(data.get("metadata"))
    except MetadataRefused as problem:
        raise BadRequest(str(problem)) from problem
    return sender, text, metadata


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class GuardedRestInput(RestInput):
    """Rasa's ``rest`` channel with body checks and the message guard."""

    def __init__(self, guard: MessageGuard | None = None) -> None:
        self.guard = guard or MessageGuard()

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest_webhook = Blueprint("guarded_rest_webhook", __name__)

        add_health_route(rest_webhook)

        @rest_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            body = await read_body(request, MAX_BODY_BYTES)
            if request.args.get("stream"):
                return _error(400, "stream mode is not supported")
            try:
                sender, raw_text, metadata = parse_message(json_object(body))
            except (BadRequest, InvalidUsage) as problem:
                return _error(400, str(problem))
            address = request.remote_addr or request.ip  # remote_addr: behind trusted proxies
            return await self.handle(on_new_message, sender, raw_text, metadata, address)

        return rest_webhook

    async def handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        raw_text: str,
        metadata: dict[str, Any],
        address: str | None = None,
    ) -> HTTPResponse:
        """Guard, then Rasa; the bot's messages as Rasa's REST channel returns them."""
        collector = CollectingOutputChannel()
        message = UserMessage(
            raw_text, collector, sender, input_channel=self.name(), metadata=metadata
        )
        outcome = await self.guard.handle(on_new_message, message, address)
        return response.json(collector.messages, status=HTTP_STATUS.get(outcome, 200))
