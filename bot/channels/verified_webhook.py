"""One pipeline for every platform webhook: bounded body, signature, parse, de-duplicate, deliver.

Each POST to ``/webhooks/<channel>/webhook`` runs these steps in this order, and a
request that fails one never reaches the next:

1. the body is read, at most 64 KB (else 413), before anything looks at it;
2. the platform's signature is checked (:meth:`~VerifiedWebhookInput.verdict`):
   missing -> 401, forged -> 403, logged without the body;
3. the body is parsed into the platform's items (:meth:`~VerifiedWebhookInput.parse`):
   malformed -> 400 saying why;
4. items already handled are dropped (:meth:`~VerifiedWebhookInput.item_id`, one
   :class:`~bot.channels.seen_ids.SeenIds`); a request with nothing new answers
   :meth:`~VerifiedWebhookInput.duplicate_response` and nothing reaches the bot;
5. the new items go to the bot (:meth:`~VerifiedWebhookInput.deliver`) through the
   channel's :class:`~bot.channels.guard.MessageGuard`.

Messenger, Telegram and Twilio implement only these hooks (and :meth:`add_routes` for
what else their platform calls); the order is tested once, in
tests/unit/channels/test_channel_verified_webhook.py.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.choices import conversation_events
from bot.channels.guard import MessageGuard
from bot.channels.seen_ids import SeenIds
from bot.channels.verification import Verdict, rejection
from bot.channels.webhook_io import add_health_route, read_body

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WebhookRefusal(Exception):
    """A request the channel cannot take now, with the text and status to answer."""

    def __init__(self, text: str, status: int):
        super().__init__(text)
        self.text = text
        self.status = status


class VerifiedWebhookInput(InputChannel):
    """A platform's webhook input; subclasses implement the hooks below.

    Listed first among the bases of a channel that also subclasses Rasa's connector
    (``class VerifiedMessengerInput(VerifiedWebhookInput, FacebookInput)``), so its
    ``blueprint`` is the one Rasa mounts.
    """

    title = "Webhook"  # the platform's name in log lines

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_ids = SeenIds()
        self.guard = MessageGuard()
        self.events_of = conversation_events
        self.output: OutputChannel | None = None  # the platform's, once the blueprint is built

    @property
    def enabled(self) -> bool:
        """Whether every credential is set; a disabled channel serves no routes."""
        raise NotImplementedError

    def verdict(self, request: Request, body: bytes) -> Verdict:
        """The platform's signature over the raw body (and what else it signs)."""
        raise NotImplementedError

    async def parse(self, request: Request, body: bytes) -> list[Any]:
        """The items of a signed body; InvalidUsage (400) or WebhookRefusal if it cannot be."""
        raise NotImplementedError

    def item_id(self, item: Any) -> str:
        """The platform's id of an item, the same when the platform sends it again."""
        raise NotImplementedError

    async def deliver(
        self, request: Request, items: list[Any], on_new_message: OnNewMessage
    ) -> HTTPResponse:
        """Hand new items to the bot (replies through ``self.output``); the platform's answer."""
        raise NotImplementedError

    def duplicate_response(self) -> HTTPResponse:
        """The answer to a request whose items were all handled before."""
        return response.text("duplicate")

    def add_routes(self, blueprint: Blueprint) -> None:
        """Routes and listeners besides the webhook and the health check (none by default)."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        if not self.enabled:
            return webhook
        self.output = self.get_output_channel()
        add_health_route(webhook)
        self.add_routes(webhook)

        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        webhook.add_route(receive, "/webhook", methods=["POST"], stream=True)
        return webhook

    async def handle(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """The five steps, in order, for one POST."""
        body = await read_body(request)
        verdict = self.verdict(request, body)
        if verdict is not Verdict.VALID:
            return rejection(self.title, verdict, request.ip)
        try:
            items = await self.parse(request, body)
        except WebhookRefusal as refusal:
            return response.text(refusal.text, status=refusal.status)
        fresh = [item for item in items if self.seen_ids.first_time(self.item_id(item))]
        if items and not fresh:
            logger.warning("%s webhook replayed what was already handled; dropped.", self.title)
            return self.duplicate_response()
        return await self.deliver(request, fresh, on_new_message)
