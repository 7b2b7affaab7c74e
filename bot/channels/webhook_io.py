"""What every platform webhook needs before its signature is checked: a bounded body.

Webhook routes are streaming routes, so Sanic has not read the body yet and
:func:`read_body` can refuse one that is too large (413) without holding it in memory.
Malformed bodies raise ``BadRequest`` (400); nothing here answers 500.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse

MAX_BODY_BYTES = 64 * 1024  # platform messages are a few KB; Telegram's limit is 4096 chars


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


def json_object(body: bytes) -> dict[str, Any]:
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
