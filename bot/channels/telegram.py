"""Telegram: Rasa's connector, with the webhook's secret token checked and inline keyboards.

Rasa 3.6's ``TelegramInput`` accepts any POST to its webhook (its only check asks
Telegram's getMe for the bot's name, on every update), calls Telegram while building
its blueprint, and answers a malformed update with a 500. This subclass keeps Rasa's
webhook path and output channel (aiogram's ``Bot``), runs each POST through the pipeline of
:class:`~bot.channels.verified_webhook.VerifiedWebhookInput`, and:

* checks ``X-Telegram-Bot-Api-Secret-Token`` against ``TELEGRAM_WEBHOOK_SECRET`` in
  constant time (missing -> 401, wrong -> 403); Telegram sends the secret given to
  setWebhook, which this channel passes when it registers the webhook at start-up
  (only if ``webhook_url`` is set) or the operator passes by hand (docs/channels.md);
* answers an oversized body 413 and a malformed one 400, drops an update id it has
  already handled (a replay: 200 ``duplicate``, nothing reaches the bot), and checks the
  bot's name against ``TELEGRAM_BOT_NAME`` once (getMe), not on every update;
* talks only in private chats (a group would share one conversation, health data
  included), and treats ``/start`` as a greeting;
* sends buttons as an inline keyboard, short titles side by side and long ones a row
  each; a payload over Telegram's 64-byte ``callback_data`` limit travels as a hash
  that is looked up in the conversation; a tap is acknowledged (answerCallbackQuery)
  and removes that keyboard, so an old question cannot be answered by mistake;
* calls the Bot API at ``api_url`` (``TELEGRAM_API_URL``, default https://api.telegram.org).

credentials.yml::

    bot.channels.telegram.VerifiedTelegramInput:
      access_token: "${TELEGRAM_ACCESS_TOKEN}"
      verify: "${TELEGRAM_BOT_NAME}"
      secret_token: "${TELEGRAM_WEBHOOK_SECRET}"
      webhook_url: "${TELEGRAM_WEBHOOK_URL}"
      api_url: "${TELEGRAM_API_URL}"
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardMarkup, Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import keyboard_rows, payload_for_token
from bot.channels.env_credentials import log_channel_off, read_config
from bot.channels.namespaces import PlatformOutput, conversation_id
from bot.channels.verification import TELEGRAM_SECRET_HEADER, Verdict, check_secret_token
from bot.channels.verified_webhook import OnNewMessage, VerifiedWebhookInput, WebhookRefusal
from bot.channels.webhook_io import json_object

logger = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
GREETING = "/greet"  # what /start, the first message of every Telegram chat, means here
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # Telegram's rule for secret_token
REQUIRED = {
    "access_token": "${TELEGRAM_ACCESS_TOKEN}",
    "verify": "${TELEGRAM_BOT_NAME}",
    "secret_token": "${TELEGRAM_WEBHOOK_SECRET}",
}
OPTIONAL = {"webhook_url": "${TELEGRAM_WEBHOOK_URL}", "api_url": "${TELEGRAM_API_URL}"}


class VerifiedTelegramOutput(TelegramOutput):
    """Rasa's Telegram output (aiogram's Bot) at ``api_url``, buttons as an inline keyboard."""

    def __init__(self, access_token: str, api_url: str = TELEGRAM_API_URL) -> None:
        super().__init__(access_token)
        self.server = TelegramAPIServer.from_base(api_url)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        rows = keyboard_rows(buttons)
        if not rows:
            await self.send_text_message(recipient_id, text)
            return
        markup = InlineKeyboardMarkup(inline_keyboard=rows)
        await self.send_message(recipient_id, text, reply_markup=markup)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def register_webhook(self, url: str, secret_token: str) -> bool:
        """setWebhook with the secret Telegram must send back (aiogram 2.15 cannot pass it)."""
        data = {
            "url": url,
            "secret_token": secret_token,
            "allowed_updates": json.dumps(ALLOWED_UPDATES),
        }
        return bool(await self.request("setWebhook", data))

    async def close_session(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def parse_update(data: dict[str, Any]) -> Update:
    """aiogram's ``Update``, or 400 when the body is not one this channel can read."""
    if not isinstance(data.get("update_id"), int):
        raise InvalidUsage("not a Telegram update")
    try:
        update = Update.to_object(data)
        query = update.callback_query
        messages = [update.message, update.edited_message, query.message if query else None]
        well_formed = all(
            isinstance(m.chat.id, int)
            and isinstance(m.chat.type, str)
            and isinstance(m.message_id, int)
            and isinstance(m.text, (str, type(None)))
            for m in messages
            if m is not None
        ) and (
            query is None
            or (isinstance(query.id, str) and isinstance(query.data, (str, type(None))))
        )
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        raise InvalidUsage("malformed Telegram update") from error
    if not well_formed:
        raise InvalidUsage("malformed Telegram update")
    return update


class VerifiedTelegramInput(VerifiedWebhookInput, TelegramInput):
    """Telegram webhook at /webhooks/telegram/webhook, verified with the secret token."""

    title = "Telegram"

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        secret_token: str | None = None,
        api_url: str = TELEGRAM_API_URL,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_url = api_url
        self.bot_name_checked = False

    @property
    def enabled(self) -> bool:
        return bool(self.access_token and self.verify and self.secret_token)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        config = read_config(credentials, REQUIRED, OPTIONAL)
        if not config.complete:
            log_channel_off(logger, "Telegram", config)
            return cls(None, None, None)
        if not SECRET_TOKEN.match(config.get("secret_token", "")):
            raise RasaException(
                "TELEGRAM_WEBHOOK_SECRET: use 1-256 characters from A-Z, a-z, 0-9, _ and - "
                "(Telegram's rule for a webhook secret token)."
            )
        return cls(
            config.get("access_token"),
            config.get("verify"),
            config.get("webhook_url"),
            secret_token=config.get("secret_token"),
            api_url=config.get("api_url", TELEGRAM_API_URL),
        )

    def get_output_channel(self) -> PlatformOutput | None:
        """The output channel; unlike Rasa's, building it does not call Telegram.

        Rasa calls it with ``telegram:<chat id>`` conversation ids.
        """
        if not self.enabled:
            return None
        return PlatformOutput(VerifiedTelegramOutput(self.access_token, self.api_url), self.name())

    async def is_configured_bot(self, out_channel: VerifiedTelegramOutput) -> bool:
        """Whether the access token belongs to ``TELEGRAM_BOT_NAME`` (getMe, asked once)."""
        if not self.bot_name_checked:
            me = await out_channel.get_me()
            expected = self.verify.lstrip("@").casefold()
            if (me.username or "").casefold() != expected:
                logger.error(
                    "TELEGRAM_ACCESS_TOKEN belongs to @%s, not @%s: updates refused.",
                    me.username,
                    expected,
                )
                return False
            self.bot_name_checked = True
        return True

    async def incoming(
        self, update: Update, app: Sanic, out_channel: VerifiedTelegramOutput
    ) -> tuple[str, str] | None:
        """(chat id, text) of an update for the bot; None for anything to ignore."""
        query = update.callback_query
        if query is not None:
            message, text = query.message, query.data or ""
            await self._acknowledge(query, out_channel)
            if text.startswith("#") and message is not None:
                conversation = conversation_id(self.name(), str(message.chat.id))
                text = payload_for_token(text, await self.events_of(app, conversation))
        else:
            message = update.message or update.edited_message
            text = message.text if message is not None else None
        text = (text or "").strip()
        if message is None or not text:
            return None
        if message.chat.type != "private":
            logger.info("Telegram message from a %s chat ignored.", message.chat.type)
            return None
        command = text.split(maxsplit=1)[0].split("@", 1)[0]
        if command == "/start":
            text = GREETING
        return str(message.chat.id), text

    @staticmethod
    async def _acknowledge(query: Any, out_channel: VerifiedTelegramOutput) -> None:
        """Stop the button's spinner and remove the keyboard that was tapped."""
        try:
            await out_channel.answer_callback_query(query.id)
            if query.message is not None:
                await out_channel.edit_message_reply_markup(
                    query.message.chat.id, query.message.message_id
                )
        except TelegramAPIError as error:
            logger.warning("Telegram could not acknowledge a button: %s", error)

    def add_routes(self, blueprint: Blueprint) -> None:
        """setWebhook at start-up (if ``webhook_url`` is set); the HTTP session closed at stop."""

        @blueprint.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if not self.webhook_url:
                return
            try:
                await self.output.register_webhook(self.webhook_url, self.secret_token)
                logger.info("Telegram webhook registered: %s", self.webhook_url)
            except TelegramAPIError as error:
                logger.error("Telegram webhook registration failed: %s", error)

        @blueprint.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.output.close_session()

    def verdict(self, request: Request, body: bytes) -> Verdict:
        return check_secret_token(self.secret_token, request.headers.get(TELEGRAM_SECRET_HEADER))

    async def parse(self, request: Request, body: bytes) -> list[Update]:
        """The update, once the bot's name is known to match (else 503: Telegram retries)."""
        update = parse_update(json_object(body))
        try:
            if not await self.is_configured_bot(self.output):
                raise WebhookRefusal("bot name mismatch", 503)
        except TelegramAPIError as error:
            logger.error("Telegram getMe failed: %s", error)
            raise WebhookRefusal("Telegram unavailable", 503) from error
        return [update]

    def item_id(self, item: Update) -> str:
        return str(item.update_id)

    async def deliver(
        self, request: Request, items: list[Update], on_new_message: OnNewMessage
    ) -> HTTPResponse:
        [update] = items
        incoming = await self.incoming(update, request.app, self.output)
        if incoming is None:
            return response.text("ignored")
        chat_id, text = incoming
        conversation = conversation_id(self.name(), chat_id)
        texts = [text]
        if text == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
            texts.append(GREETING)  # as Rasa does after a restart
        metadata = self.get_metadata(request)
        for part in texts:
            message = UserMessage(
                part,
                self.output,
                conversation,
                input_channel=self.name(),
                metadata=metadata,
                message_id=str(update.update_id),
            )
            await self.guard.handle(on_new_message, message)
        return response.text("success")
