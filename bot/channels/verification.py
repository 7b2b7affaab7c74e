"""Webhook signature checks, each in constant time: Meta, Telegram and Twilio.

A check answers :class:`Verdict`: ``MISSING`` (no signature: 401) or ``FORGED`` (one that
does not match: 403) never reach the bot; :func:`rejection` is the response for them.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
from collections.abc import Mapping, Sequence

from sanic import response
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

META_SIGNATURE_HEADER = "X-Hub-Signature-256"
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"


class Verdict(enum.Enum):
    VALID = 200
    MISSING = 401
    FORGED = 403


def _equal(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def check_meta_signature(app_secret: str, body: bytes, header: str | None) -> Verdict:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, key app secret>``."""
    if not header:
        return Verdict.MISSING
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return Verdict.FORGED
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return Verdict.VALID if _equal(expected, given.lower()) else Verdict.FORGED


def check_secret_token(expected: str, header: str | None) -> Verdict:
    """Telegram's ``X-Telegram-Bot-Api-Secret-Token``: the secret given to setWebhook."""
    if not header:
        return Verdict.MISSING
    return Verdict.VALID if _equal(expected, header) else Verdict.FORGED


def check_twilio_signature(
    auth_token: str, url: str, params: Mapping[str, Sequence[str]], header: str | None
) -> Verdict:
    """``X-Twilio-Signature``: HMAC-SHA1 of the URL Twilio called and the sorted POST params.

    ``params`` maps each name to its values (Sanic's ``RequestParameters``); Twilio's own
    validator compares in constant time and tries the URL with and without its port.
    """
    if not header:
        return Verdict.MISSING
    valid = RequestValidator(auth_token).validate(url, params, header)
    return Verdict.VALID if valid else Verdict.FORGED


def rejection(channel: str, verdict: Verdict, remote: str | None) -> HTTPResponse:
    """401 or 403, logged without the body (it may hold health data)."""
    reason = "missing" if verdict is Verdict.MISSING else "invalid"
    logger.warning("%s webhook from %s rejected: %s signature.", channel, remote, reason)
    return response.text(f"{reason} signature", status=verdict.value)
