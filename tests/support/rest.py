"""Raw HTTP to the REST channel: any bytes in, (status, decoded body) out."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

REST_PATH = "/webhooks/rest/webhook"


def post(base_url: str, body: bytes, content_type: str = "application/json") -> tuple[int, Any]:
    request = urllib.request.Request(
        base_url + REST_PATH, data=body, headers={"Content-Type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def say(base_url: str, sender: Any, message: Any, **extra: Any) -> tuple[int, Any]:
    body = json.dumps({"sender": sender, "message": message, **extra}).encode()
    return post(base_url, body)


def texts(body: Any) -> list:
    return [m.get("text", "") for m in body] if isinstance(body, list) else []


def timed_say(stack: Any, sender: str, text: str) -> tuple[int, list, float]:
    """``(status, reply texts, seconds)`` for one message to a running stack."""
    started = time.monotonic()
    status, body = say(stack.rasa_url, sender, text)
    return status, texts(body), time.monotonic() - started


def user_texts(stack: Any, sender: str) -> list:
    """What the tracker store holds of the visitor's messages, in order."""
    return [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
