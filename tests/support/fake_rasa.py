"""A tiny stand-in for a Rasa server, for testing bot.evaluation without Rasa.

It serves ``POST /webhooks/rest/webhook``, ``GET /conversations/{id}/tracker`` and
``GET /version`` on 127.0.0.1 (port 0, one thread per request). Per conversation: a
greeting gets an invitation; any other first message starts "triage_form", which asks
``questions`` in order and then sets ``triage_result`` from the stated duration. A
message containing a ``red_flag_words`` key ends triage at once as an emergency; a
message ending in "?" is answered as a FAQ and the pending question is asked again.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

BOOKING = "You can book at https://example-clinic.ca/book"
GREETINGS = frozenset({"hi", "hello", "hey", "hi there"})
_UNITS = {"day": 1, "week": 7, "wk": 7, "month": 30, "year": 365}


def days_from_text(text: str) -> float | None:
    """'3 weeks' -> 21.0; enough for the fake."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*(day|week|wk|month|year)", text.lower())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def category_from_days(slots: dict[str, Any]) -> str:
    days = slots.get("pain_duration_days")
    if days is None:
        return "acute"
    return "acute" if days < 42 else "subacute" if days <= 84 else "chronic"


class FakeRasa:
    """Start with ``with FakeRasa() as fake:``; ``fake.url`` is the base URL."""

    def __init__(
        self,
        questions: tuple[str, ...] = ("pain_location", "pain_duration_days"),
        token: str | None = "secret",
        red_flag_words: dict[str, str] | None = None,
        decide: Callable[[dict[str, Any]], str] = category_from_days,
        booking_after_emergency: bool = False,
        never_finish: bool = False,
    ) -> None:
        self.questions = questions
        self.token = token
        self.red_flag_words = (
            {"pee": "bladder_dysfunction"} if red_flag_words is None else dict(red_flag_words)
        )
        self.decide = decide
        self.booking_after_emergency = booking_after_emergency
        self.never_finish = never_finish
        self.received: dict[str, list[str]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeRasa:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- conversation logic -----------------------------------------------------------
    def reply(self, sender: str, text: str) -> list[dict[str, Any]]:
        with self._lock:
            self.received.setdefault(sender, []).append(text)
            convo = self.conversations.setdefault(
                sender, {"slots": {"requested_slot": None, "triage_result": None}, "loop": None}
            )
            return [{"recipient_id": sender, "text": t} for t in self._step(convo, text)]

    def _step(self, convo: dict[str, Any], text: str) -> list[str]:
        slots = convo["slots"]
        lowered = text.lower()
        flags = [flag for word, flag in self.red_flag_words.items() if word in lowered]
        if flags:
            slots.update(red_flags=flags, triage_result="emergency", requested_slot=None)
            convo["loop"] = None
            urgent = "Please call 911 now."
            return [urgent, BOOKING] if self.booking_after_emergency else [urgent]
        if lowered.endswith("?"):
            asked = slots["requested_slot"]
            return ["Here is the answer."] + ([f"ask {asked}"] if asked else [])
        if convo["loop"] is None and slots["triage_result"] is None:
            if lowered.strip() in GREETINGS:
                return ["Hi! What brings you here?"]
            convo["loop"] = "triage_form"
            return self._ask(convo, 0)
        if convo["loop"] == "triage_form":
            asked = slots["requested_slot"]
            slots[asked] = days_from_text(text) if asked == "pain_duration_days" else text
            if self.never_finish:
                return self._ask(convo, 0)
            return self._ask(convo, self.questions.index(asked) + 1)
        return ["Anything else?"]

    def _ask(self, convo: dict[str, Any], index: int) -> list[str]:
        slots = convo["slots"]
        if index < len(self.questions):
            slots["requested_slot"] = self.questions[index]
            return [f"ask {self.questions[index]}"]
        slots.update(requested_slot=None, triage_result=self.decide(slots))
        convo["loop"] = None
        return [f"result {slots['triage_result']}", BOOKING]

    def tracker(self, sender: str) -> dict[str, Any]:
        with self._lock:
            convo = self.conversations.get(sender, {"slots": {}, "loop": None})
            loop = {"name": convo["loop"]} if convo["loop"] else {}
            return {"sender_id": sender, "slots": dict(convo["slots"]), "active_loop": loop}

    # --- HTTP ---------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                if urlparse(self.path).path != "/webhooks/rest/webhook":
                    return self._json(404, {"error": "not found"})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self._json(200, fake.reply(body["sender"], body["message"]))

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/version":
                    return self._json(200, {"version": "3.6.21"})
                match = re.fullmatch(r"/conversations/([^/]+)/tracker", url.path)
                if not match:
                    return self._json(404, {"error": "not found"})
                if fake.token and parse_qs(url.query).get("token") != [fake.token]:
                    return self._json(401, {"message": "User is not authenticated."})
                self._json(200, fake.tracker(unquote(match.group(1))))

        return Handler
