"""Twilio SMS and WhatsApp: Rasa's connector, with signatures checked and numbered options.

Rasa 3.6's ``TwilioInput`` checks no signature, sends each button as a bare line in a
message of its own, blocks the event loop on every API call and answers a message
without a body with a 500. This subclass keeps Rasa's webhook path and output channel
(the twilio ``Client``), runs each POST through the pipeline of
:class:`~bot.channels.verified_webhook.VerifiedWebhookInput`, and:

* verifies ``X-Twilio-Signature`` with Twilio's validator over the URL Twilio called:
  the request's URL, or ``TWILIO_WEBHOOK_URL`` when set (behind a proxy the server
  sees another URL than Twilio signed); missing -> 401, wrong -> 403;
* answers an oversized body 413 and one that is not a Twilio message 400, and drops a
  ``MessageSid`` it has already handled (a replay: nothing reaches the bot);
* serves SMS and WhatsApp at the same URL: a reply goes out from ``TWILIO_NUMBER``,
  or from ``whatsapp:`` + ``TWILIO_WHATSAPP_NUMBER`` to a WhatsApp sender;
* renders each turn as plain text (:mod:`bot.channels.text_rendering`): red-flag
  advice first, links as URLs, buttons as a numbered list, packed into as few
  messages as fit (1600 characters each); a reply of "2" (or an option's exact title)
  is mapped back to that option's payload (:mod:`bot.channels.choices`);
* calls the REST API at ``api_url`` (``TWILIO_API_URL``, default https://api.twilio.com)
  with twilio's asynchronous HTTP client.

credentials.yml::

    bot.channels.twilio.VerifiedTwilioInput:
      account_sid: "${TWILIO_ACCOUNT_SID}"
      auth_token: "${TWILIO_AUTH_TOKEN}"
      twilio_number: "${TWILIO_NUMBER}"
      whatsapp_number: "${TWILIO_WHATSAPP_NUMBER}"
      webhook_url: "${TWILIO_WEBHOOK_URL}"
      api_url: "${TWILIO_API_URL}"
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import response
from sanic.exceptions import InvalidUsage
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient

from bot.channels.choices import offered_buttons, payload_for_reply
from bot.channels.env_credentials import log_channel_off, read_config
from bot.channels.namespaces import PlatformOutput, conversation_id
from bot.channels.text_rendering import turn_bodies
from bot.channels.verification import TWILIO_SIGNATURE_HEADER, Verdict, check_twilio_signature
from bot.channels.verified_webhook import OnNewMessage, VerifiedWebhookInput
from bot.channels.webhook_io import form_params

logger = logging.getLogger(__name__)

TWILIO_API_URL = "https://api.twilio.com"
API_TIMEOUT_S = 10
WHATSAPP = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
REQUIRED = {"account_sid": "${TWILIO_ACCOUNT_SID}", "auth_token": "${TWILIO_AUTH_TOKEN}"}
OPTIONAL = {
    "twilio_number": "${TWILIO_NUMBER}",
    "whatsapp_number": "${TWILIO_WHATSAPP_NUMBER}",
    "webhook_url": "${TWILIO_WEBHOOK_URL}",
    "api_url": "${TWILIO_API_URL}",
}


class TurnCollector(OutputChannel):
    """Keeps the messages of one turn, so they can be sent as text, advice first."""

    @classmethod
    def name(cls) -> str:
        return "twilio"  # responses can have channel-specific variations

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages.append(copy.deepcopy(message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})


class VerifiedTwilioOutput(TwilioOutput):
    """Rasa's Twilio output at ``api_url``, sending plain-text turns without blocking."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str | None,
        whatsapp_number: str | None = None,
        api_url: str = TWILIO_API_URL,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.whatsapp_number = whatsapp_number
        self.http_client = AsyncTwilioHttpClient(pool_connections=False, timeout=API_TIMEOUT_S)
        self.api.base_url = api_url.rstrip("/")

    def sender_for(self, recipient_id: str) -> str | None:
        """The clinic's number a reply to ``recipient_id`` comes from."""
        if not recipient_id.startswith(WHATSAPP):
            return self.twilio_number
        number = self.whatsapp_number
        if not number:
            return None
        return number if number.startswith(WHATSAPP) else WHATSAPP + number

    async def send_turn(self, recipient_id: str, messages: list[dict[str, Any]]) -> None:
        """The messages of one turn as few plain-text bodies, red-flag advice first."""
        sender = self.sender_for(recipient_id)
        if not sender:
            kind = "WhatsApp" if recipient_id.startswith(WHATSAPP) else "SMS"
            logger.error("No Twilio number configured for %s replies.", kind)
            return
        for body in turn_bodies(messages):
            try:
                await self.messages.create_async(to=recipient_id, from_=sender, body=body)
            except TwilioRestException as error:
                logger.error("Twilio refused a message: %s (code %s)", error.msg, error.code)
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.error("Twilio API call failed: %s", type(error).__name__)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A message sent outside a webhook turn (e.g. through Rasa's HTTP API)."""
        await self.send_turn(recipient_id, [message])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_turn(recipient_id, [{"text": text}])


class VerifiedTwilioInput(VerifiedWebhookInput, TwilioInput):
    """Twilio webhook at /webhooks/twilio/webhook for SMS and WhatsApp, signature-checked."""

    title = "Twilio"

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        whatsapp_number: str | None = None,
        webhook_url: str | None = None,
        api_url: str = TWILIO_API_URL,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        self.whatsapp_number = whatsapp_number
        self.webhook_url = webhook_url
        self.api_url = api_url

    @property
    def enabled(self) -> bool:
        numbers = self.twilio_number or self.whatsapp_number
        return bool(self.account_sid and self.auth_token and numbers)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        config = read_config(credentials, REQUIRED, OPTIONAL)
        if not (config.get("twilio_number") or config.get("whatsapp_number")):
            unset = (*config.unset, "TWILIO_NUMBER or TWILIO_WHATSAPP_NUMBER")
            config = dataclasses.replace(config, unset=unset, partial=bool(config.values))
        if not config.complete:
            log_channel_off(logger, "Twilio (SMS and WhatsApp)", config)
            return cls(None, None, None)
        return cls(
            config.get("account_sid"),
            config.get("auth_token"),
            config.get("twilio_number"),
            whatsapp_number=config.get("whatsapp_number"),
            webhook_url=config.get("webhook_url"),
            api_url=config.get("api_url", TWILIO_API_URL),
        )

    def get_output_channel(self) -> PlatformOutput | None:
        """The REST API output; Rasa calls it with ``twilio:<From>`` conversation ids."""
        if not self.enabled:
            return None
        output = VerifiedTwilioOutput(
            self.account_sid,
            self.auth_token,
            self.twilio_number,
            whatsapp_number=self.whatsapp_number,
            api_url=self.api_url,
        )
        return PlatformOutput(output, self.name())

    def verdict(self, request: Request, body: bytes) -> Verdict:
        """Twilio signs the URL it called and the form's parameters (a body not a form: 400)."""
        signature = request.headers.get(TWILIO_SIGNATURE_HEADER)
        url = self.webhook_url or request.url
        return check_twilio_signature(self.auth_token, url, form_params(body), signature)

    async def parse(self, request: Request, body: bytes) -> list[RequestParameters]:
        """The message's parameters; none for an opt-out (STOP, HELP...: Twilio answers those)."""
        params = form_params(body)
        sender, text, sid = params.get("From"), params.get("Body"), params.get("MessageSid")
        if not sender or text is None or not sid:
            raise InvalidUsage("not a Twilio message")
        return [] if params.get("OptOutType") else [params]

    def item_id(self, item: RequestParameters) -> str:
        return item.get("MessageSid")

    def duplicate_response(self) -> HTTPResponse:
        return twiml()

    async def deliver(
        self, request: Request, items: list[RequestParameters], on_new_message: OnNewMessage
    ) -> HTTPResponse:
        for params in items:
            await self.answer(request, params, on_new_message)
        return twiml()

    async def answer(
        self, request: Request, params: RequestParameters, on_new_message: OnNewMessage
    ) -> None:
        """One message to the bot, and its whole turn back as plain text."""
        sender = params.get("From")
        text = params.get("Body").replace("¡", "@").strip()  # as Rasa: carriers corrupt "@"
        if not text:  # a picture or a location alone: nothing to answer
            return
        conversation = conversation_id(self.name(), sender)
        events = await self.events_of(request.app, conversation)
        text = payload_for_reply(text, offered_buttons(events)) or text
        turn = TurnCollector()
        user_message = UserMessage(
            text,
            turn,
            conversation,
            input_channel=self.name(),
            metadata=self.get_metadata(request),
            message_id=params.get("MessageSid"),
        )
        await self.guard.handle(on_new_message, user_message)
        await self.output.send_turn(sender, turn.messages)


def twiml() -> HTTPResponse:
    """An empty TwiML answer: the replies go out through the REST API."""
    return response.text(EMPTY_TWIML, content_type="text/xml")
