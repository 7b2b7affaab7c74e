"""What every platform webhook needs before its signature is checked: a bounded body.

Webhook routes are streaming routes, so Sanic has not read the body yet and
:func:`read_body` can refuse one that is too large (413) without holding it in memory.
Malformed bodies raise ``BadRequest`` (400); nothing here answers 500.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Dict
from urllib.parse import parse_qs

from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse

MAX_BODY_BYTES = 64 * 1024  # platform messages are a few KB; Telegram's limit is 4096 chars
REMEMBERED_IDS = 10_000


def add_health_route(blueprint: Blueprint) -> None:
    """``GET /webhooks/<channel>/``: ``{"status": "ok"}``, as Rasa's own channels answer."""

    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    blueprint.add_route(health, "/", methods=["GET"])


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body of a streaming route; over ``limit`` bytes Sanic answers 413."""
    if request.stream is not None:
        request.stream.request_max_size = limit
    await request.receive_body()
    return request.body or b""


def json_object(body: bytes) -> Dict[str, Any]:
    """The body as a JSON object, or 400."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidUsage("body is not JSON") from error
    except RecursionError as error:  # e.g. [[[[...]]]] thousands deep
        raise InvalidUsage("body is nested too deeply") from error
    if not isinstance(data, dict):
        raise InvalidUsage("body is not a JSON object")
    return data


def form_params(body: bytes) -> RequestParameters:
    """An ``application/x-www-form-urlencoded`` body, blank values kept (Twilio signs them)."""
    try:
        text = body.decode("utf-8")
        parsed = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidUsage("body is not a form") from error
    return RequestParameters(parsed)


class RecentIds:
    """The last platform message ids handled, to refuse a request replayed with its signature.

    Kept in memory per process: a replay after a restart is not caught (see docs/channels.md).
    """

    def __init__(self, size: int = REMEMBERED_IDS):
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, message_id: str) -> bool:
        """True once per id, False whenever it comes again."""
        if message_id in self._seen:
            self._seen.move_to_end(message_id)
            return False
        self._seen[message_id] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
