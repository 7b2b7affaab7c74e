"""Issue 17: what an unauthenticated caller can make the REST channel spend is bounded.

Against the real stack (action server, Rasa, SQLite tracker store).
"""

from __future__ import annotations

import json
import socket
import uuid

import pytest

from tests.support.rest import post, say


def new_sender() -> str:
    return f"bounds-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize("where", ["body", "metadata", "message"])
def test_json_nested_5000_deep_gets_a_400_not_a_500(stack, where):
    deep = "[" * 5000 + "]" * 5000
    sender = json.dumps(new_sender())
    bodies = {
        "body": deep.encode(),
        "metadata": f'{{"sender": {sender}, "message": "hi", "metadata": {{"a": {deep}}}}}',
        "message": f'{{"sender": {sender}, "message": {deep}}}',
    }
    body = bodies[where]
    status, answer = post(stack.rasa_url, body if isinstance(body, bytes) else body.encode())
    assert status == 400, answer
    assert say(stack.rasa_url, new_sender(), "hi")[0] == 200


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({"page": "x" * 2000}, id="2-kb"),
        pytest.param({"a": {"b": {"c": {"d": {"e": 1}}}}}, id="5-levels"),
        pytest.param({f"k{n}": n for n in range(200)}, id="200-keys"),
    ],
)
def test_rest_metadata_is_a_small_object_or_a_400(stack, metadata):
    sender = new_sender()
    status, answer = say(stack.rasa_url, sender, "hi", metadata=metadata)
    assert status == 400 and "metadata" in answer["error"], answer
    assert say(stack.rasa_url, sender, "hi", metadata={"page": "/back-pain"})[0] == 200


def raw_http(port: int, head: str, timeout_s: float = 5.0) -> str:
    """Send only a request's head; what the server answers before the body arrives."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as conn:
        conn.sendall(head.encode("latin-1"))
        try:
            return conn.recv(200).decode("latin-1")
        except TimeoutError:
            return "(no answer: the server waits for the body)"


def test_a_socketio_polling_body_over_1_mb_is_refused_before_it_is_read(stack):
    port = int(stack.rasa_url.rsplit(":", 1)[1])
    head = (
        "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
    )
    assert raw_http(port, head).startswith("HTTP/1.1 413")
