"""Facebook Messenger: Rasa's connector, with SHA-256 signatures and up to 13 quick replies.

Rasa 3.6's ``FacebookInput`` checks only the legacy ``X-Hub-Signature`` (SHA-1) with a
plain ``==``, answers a bad signature with 200, hands only the first event of a batch to
the bot and drops every button when there are more than three. This subclass keeps
Rasa's webhook paths and its parsing of each event, runs each POST through the pipeline of
:class:`~bot.channels.verified_webhook.VerifiedWebhookInput`, and:

* verifies ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw body with the app secret) in
  constant time: missing -> 401, wrong -> 403, before the body is even parsed;
* refuses a body over 64 KB (413) or that is not a page event (400), and drops an event
  whose message id it has already handled (a replayed request: 200 ``duplicate``, so
  Meta does not keep retrying, and nothing reaches the bot);
* sends buttons as quick replies (up to 13); when a title is longer than Messenger's 20
  characters (its quick reply shows it cut short) or there are more than 13, the full
  options are also listed, numbered, in the text, and a typed number picks that option;
* calls the Graph API at ``api_url`` (``FACEBOOK_API_URL``, default
  https://graph.facebook.com) with an ``appsecret_proof``, off the event loop.

credentials.yml::

    bot.channels.messenger.VerifiedMessengerInput:
      verify: "${FACEBOOK_VERIFY_TOKEN}"
      secret: "${FACEBOOK_APP_SECRET}"
      page-access-token: "${FACEBOOK_PAGE_ACCESS_TOKEN}"
      api_url: "${FACEBOOK_API_URL}"
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import requests
from fbmessenger import MessengerClient
from fbmessenger.attachments import Image
from fbmessenger.sender_actions import SenderAction
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import needs_numbers, quick_reply_message
from bot.channels.choices import NUMBER, offered_buttons, payload_for_reply
from bot.channels.env_credentials import log_channel_off, read_config
from bot.channels.guard import MessageGuard
from bot.channels.namespaces import PlatformOutput, conversation_id
from bot.channels.verification import META_SIGNATURE_HEADER, Verdict, check_meta_signature
from bot.channels.verified_webhook import OnNewMessage, VerifiedWebhookInput
from bot.channels.webhook_io import json_object

logger = logging.getLogger(__name__)

GRAPH_API_URL = "https://graph.facebook.com"
GRAPH_API_VERSION = "v18.0"
API_TIMEOUT_S = 10
MEDIA_TYPES = ("audio", "image", "video", "file")
REQUIRED = {
    "verify": "${FACEBOOK_VERIFY_TOKEN}",
    "secret": "${FACEBOOK_APP_SECRET}",
    "page-access-token": "${FACEBOOK_PAGE_ACCESS_TOKEN}",
}
OPTIONAL = {"api_url": "${FACEBOOK_API_URL}"}


class GraphClient(MessengerClient):
    """fbmessenger's client, pointed at ``api_url`` and signing calls with appsecret_proof."""

    def __init__(self, page_access_token: str, app_secret: str, api_url: str = GRAPH_API_URL):
        super().__init__(page_access_token, app_secret=app_secret)
        self.graph_url = f"{api_url.rstrip('/')}/{GRAPH_API_VERSION}"


class VerifiedMessengerOutput(MessengerBot):
    """Rasa's Messenger output, with quick replies for buttons and no blocking calls."""

    async def _call(self, method: Callable[..., Any], *args: Any) -> None:
        call = functools.partial(method, *args, timeout=API_TIMEOUT_S)
        try:
            result = await asyncio.get_running_loop().run_in_executor(None, call)
        except (requests.RequestException, ValueError) as error:
            logger.error("Messenger Send API call failed: %s", type(error).__name__)
            return
        if isinstance(result, dict) and result.get("error"):
            logger.error("Messenger Send API refused: %s", result["error"].get("message"))

    async def send_message(self, recipient_id: str, message: Any) -> None:
        """One Send API message (a dict, or a list for custom payloads)."""
        await self._call(self.messenger_client.send, message, recipient_id, "RESPONSE")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            await self.send_message(recipient_id, {"text": part})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_message(recipient_id, Image(url=image).to_dict())

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_message(recipient_id, quick_reply_message(text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_message(recipient_id, quick_reply_message(text, quick_replies))

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        elements = list(elements)
        for element in elements:
            self._add_postback_info(element.get("buttons") or [])
        template = {"template_type": "generic", "elements": elements}
        await self.send_message(
            recipient_id, {"attachment": {"type": "template", "payload": template}}
        )

    async def send_custom_json(self, recipient_id: str, json_message: Any, **kwargs: Any) -> None:
        """As Rasa's: a custom payload may not choose another recipient here, though."""
        await self.send_message(recipient_id, json_message)

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        action = SenderAction(sender_action).to_dict()
        await self._call(self.messenger_client.send_action, action, recipient_id)


def messaging_events(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages and postbacks of a page webhook, checked for shape; else 400."""
    entries = payload.get("entry")
    if payload.get("object") != "page" or not isinstance(entries, list):
        raise InvalidUsage("not a Messenger page event")
    events = []
    for entry in entries:
        messaging = entry.get("messaging", []) if isinstance(entry, dict) else None
        if not isinstance(messaging, list):
            raise InvalidUsage("malformed entry")
        for event in messaging:
            if _is_for_bot(event):
                events.append(event)
    return events


def _is_for_bot(event: Any) -> bool:
    """A well-formed visitor message or postback (echoes, reads, deliveries are not)."""
    if not isinstance(event, dict):
        raise InvalidUsage("malformed messaging event")
    message, postback = event.get("message"), event.get("postback")
    if message is None and postback is None:
        return False
    sender = event.get("sender")
    if not isinstance(sender, dict) or not isinstance(sender.get("id"), str) or not sender["id"]:
        raise InvalidUsage("messaging event without a sender")
    if postback is not None:
        if not isinstance(postback, dict) or not isinstance(postback.get("payload"), str):
            raise InvalidUsage("malformed postback")
        return True
    if not isinstance(message, dict) or not _well_formed_message(message):
        raise InvalidUsage("malformed message")
    return not message.get("is_echo")


def _well_formed_message(message: dict[str, Any]) -> bool:
    if "text" in message and not isinstance(message["text"], str):
        return False
    quick_reply = message.get("quick_reply")
    if quick_reply is not None and not (
        isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str)
    ):
        return False
    attachments = message.get("attachments")
    if attachments is None or isinstance(message.get("text"), str):
        return True
    first = attachments[0] if isinstance(attachments, list) and attachments else None
    if not isinstance(first, dict) or not isinstance(first.get("type"), str):
        return False
    if first["type"] in MEDIA_TYPES:  # Rasa passes their URL on as the text
        payload = first.get("payload")
        return isinstance(payload, dict) and isinstance(payload.get("url"), str)
    return True


def event_id(event: dict[str, Any]) -> str:
    """Meta's message id (``mid``), or sender and timestamp for an old-style postback."""
    inner = event.get("message") or event.get("postback") or {}
    return str(inner.get("mid") or f"{event['sender']['id']}:{event.get('timestamp')}")


class MessengerEvents(Messenger):
    """Rasa's handling of one messaging event, sending through the verified output."""

    def __init__(
        self,
        output: VerifiedMessengerOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        typed_choice: Callable[[str, str], Awaitable[str | None]],
        guard: MessageGuard,
    ) -> None:
        super().__init__(output.messenger_client.page_access_token, on_new_message)
        self.guard = guard
        self.client = output.messenger_client
        self.output = output
        self.typed_choice = typed_choice

    async def handle_event(self, event: dict[str, Any], metadata: dict[str, Any] | None) -> None:
        self.last_message = event
        if event.get("message") is not None:
            await self.message(event, metadata)
        else:
            await self.postback(event, metadata)

    async def _handle_user_message(
        self, text: str, sender_id: str, metadata: dict[str, Any] | None
    ) -> None:
        if self._is_user_message(self.last_message) and not self._is_quick_reply_message(
            self.last_message
        ):
            text = await self.typed_choice(sender_id, text) or text
        message = UserMessage(
            text,
            self.output,
            conversation_id(VerifiedMessengerInput.name(), sender_id),
            input_channel=self.name(),
            metadata=metadata,
            message_id=event_id(self.last_message),
        )
        await self.output.send_action(sender_id, "mark_seen")
        await self.output.send_action(sender_id, "typing_on")
        try:
            await self.guard.handle(self.on_new_message, message)
        finally:
            await self.output.send_action(sender_id, "typing_off")


class VerifiedMessengerInput(VerifiedWebhookInput, FacebookInput):
    """Messenger webhook at /webhooks/facebook/webhook, verified with X-Hub-Signature-256."""

    title = "Messenger"

    def __init__(
        self,
        fb_verify: str | None,
        fb_secret: str | None,
        fb_access_token: str | None,
        api_url: str = GRAPH_API_URL,
    ) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.api_url = api_url

    @property
    def enabled(self) -> bool:
        return bool(self.fb_verify and self.fb_secret and self.fb_access_token)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        config = read_config(credentials, REQUIRED, OPTIONAL)
        if not config.complete:
            log_channel_off(logger, "Messenger", config)
            return cls(None, None, None)
        return cls(
            config.get("verify"),
            config.get("secret"),
            config.get("page-access-token"),
            api_url=config.get("api_url", GRAPH_API_URL),
        )

    def get_output_channel(self) -> PlatformOutput | None:
        """The Graph API output; Rasa calls it with ``facebook:<PSID>`` conversation ids."""
        if not self.enabled:
            return None
        client = GraphClient(self.fb_access_token, self.fb_secret, self.api_url)
        return PlatformOutput(VerifiedMessengerOutput(client), self.name())

    async def typed_choice(self, app: Sanic, sender_id: str, text: str) -> str | None:
        """A typed number picks from a numbered list shown with the quick replies."""
        if not NUMBER.match(text or ""):
            return None
        conversation = conversation_id(self.name(), sender_id)
        buttons = offered_buttons(await self.events_of(app, conversation))
        return payload_for_reply(text, buttons) if needs_numbers(buttons) else None

    def add_routes(self, blueprint: Blueprint) -> None:
        """Meta's subscription check: ``GET /webhook`` echoes the challenge to the verify token."""

        async def token_verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger webhook verification with a wrong verify token.")
            return response.text("invalid verify token", status=403)

        blueprint.add_route(token_verification, "/webhook", methods=["GET"])

    def verdict(self, request: Request, body: bytes) -> Verdict:
        signature = request.headers.get(META_SIGNATURE_HEADER)
        return check_meta_signature(self.fb_secret, body, signature)

    async def parse(self, request: Request, body: bytes) -> list[dict[str, Any]]:
        return messaging_events(json_object(body))

    def item_id(self, item: dict[str, Any]) -> str:
        return event_id(item)

    async def deliver(
        self, request: Request, items: list[dict[str, Any]], on_new_message: OnNewMessage
    ) -> HTTPResponse:
        async def typed_choice(sender_id: str, text: str) -> str | None:
            return await self.typed_choice(request.app, sender_id, text)

        handler = MessengerEvents(self.output, on_new_message, typed_choice, self.guard)
        metadata = self.get_metadata(request)
        for event in items:
            await handler.handle_event(event, metadata)
        return response.text("success")
