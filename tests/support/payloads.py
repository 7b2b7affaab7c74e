"""Webhook requests as the platforms send them, signed as they sign them.

Shapes follow the platforms' documentation:

* Messenger: "Webhook Events Reference" -> ``messages`` and ``messaging_postbacks``
  (developers.facebook.com/docs/messenger-platform/reference/webhook-events), with the
  ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>`` header
  (developers.facebook.com/docs/graph-api/webhooks/getting-started, "Validate Payloads").
* Telegram: the ``Update`` object with a ``message`` or a ``callback_query``
  (core.telegram.org/bots/api#update, the examples of core.telegram.org/bots/webhooks),
  with ``X-Telegram-Bot-Api-Secret-Token`` (core.telegram.org/bots/api#setwebhook).
* Twilio: the form parameters of "Twilio's request to your incoming message Webhook URL"
  (twilio.com/docs/messaging/guides/webhook-request), WhatsApp's extra ``ProfileName``
  and ``WaId``, and ``X-Twilio-Signature`` (twilio.com/docs/usage/security).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

PAGE_ID = "106180512345678"
_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


# ---- Messenger ------------------------------------------------------------------------


def messenger_event(psid: str, **event: Any) -> bytes:
    now = int(time.time() * 1000)
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": now,
                        **event,
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def messenger_text(psid: str, text: str) -> bytes:
    mid = f"m_{_next():06d}AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz"
    return messenger_event(psid, message={"mid": mid, "text": text})


def messenger_quick_reply(psid: str, title: str, payload: str) -> bytes:
    mid = f"m_{_next():06d}QuickReplyQuickReplyQuickReply"
    return messenger_event(
        psid, message={"mid": mid, "text": title, "quick_reply": {"payload": payload}}
    )


def messenger_postback(psid: str, title: str, payload: str) -> bytes:
    mid = f"m_{_next():06d}PostbackPostbackPostback"
    return messenger_event(psid, postback={"mid": mid, "title": title, "payload": payload})


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def messenger_headers(app_secret: str | None, body: bytes) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if app_secret is not None:
        headers["X-Hub-Signature-256"] = meta_signature(app_secret, body)
    return headers


# ---- Telegram -------------------------------------------------------------------------


def _telegram_user(chat_id: int) -> dict[str, Any]:
    return {
        "id": chat_id,
        "is_bot": False,
        "first_name": "Test Firstname",
        "last_name": "Test Lastname",
        "username": "Testusername",
        "language_code": "en",
    }


def _telegram_chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    chat = {"id": chat_id, "type": kind}
    if kind == "private":
        chat.update(first_name="Test Firstname", last_name="Test Lastname", username="Testusername")
    else:
        chat.update(title="Back pain support group")
    return chat


def telegram_text(chat_id: int, text: str, kind: str = "private") -> bytes:
    update = {
        "update_id": 100_000 + _next(),
        "message": {
            "message_id": _next(),
            "from": _telegram_user(chat_id if kind == "private" else 4242),
            "chat": _telegram_chat(chat_id, kind),
            "date": int(time.time()),
            "text": text,
        },
    }
    if text.startswith("/"):
        command = text.split()[0]
        update["message"]["entities"] = [
            {"offset": 0, "length": len(command), "type": "bot_command"}
        ]
    return json.dumps(update).encode()


def telegram_callback(chat_id: int, data: str, message_id: int, bot_id: int = 5550001) -> bytes:
    update = {
        "update_id": 100_000 + _next(),
        "callback_query": {
            "id": str(4_382_000_000_000 + _next()),
            "from": _telegram_user(chat_id),
            "message": {
                "message_id": message_id,
                "from": {"id": bot_id, "is_bot": True, "first_name": "BackChat"},
                "chat": _telegram_chat(chat_id),
                "date": int(time.time()),
                "text": "(the bot's question)",
            },
            "chat_instance": "-7204512345678901234",
            "data": data,
        },
    }
    return json.dumps(update).encode()


def telegram_headers(secret: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return headers


# ---- Twilio ---------------------------------------------------------------------------


def twilio_params(sender: str, text: str, to: str, account_sid: str) -> tuple[dict[str, str], str]:
    """The form Twilio posts for an incoming SMS, or WhatsApp when ``sender`` says so."""
    sid = f"SM{_next():032x}"
    params = {
        "ToCountry": "CA",
        "ToState": "AB",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "CALGARY",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "AB",
        "SmsStatus": "received",
        "FromCity": "EDMONTON",
        "Body": text,
        "FromCountry": "CA",
        "To": to,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    if sender.startswith("whatsapp:"):  # no geography; the WhatsApp profile instead
        params = {k: v for k, v in params.items() if not k.startswith(("To", "From"))}
        params.update(
            To=to,
            From=sender,
            ProfileName="Test Patient",
            WaId=sender.split("+")[-1],
            MessageType="text",
            ReferralNumMedia="0",
        )
    return params, sid


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    return RequestValidator(auth_token).compute_signature(url, params)


def twilio_request(
    auth_token: str | None, url: str, params: dict[str, str]
) -> tuple[bytes, dict[str, str]]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if auth_token is not None:
        headers["X-Twilio-Signature"] = twilio_signature(auth_token, url, params)
    return urlencode(params).encode(), headers
