"""Fake Graph API, Telegram Bot API and Twilio REST API on 127.0.0.1, recording each call.

The channels are pointed at it with ``FACEBOOK_API_URL=<url>/facebook``,
``TELEGRAM_API_URL=<url>/telegram`` and ``TWILIO_API_URL=<url>/twilio``. Answers have
the shape of the real APIs' (as far as the clients read them). It runs either in the
caller's event loop (:meth:`FakePlatforms.serve`) or in a thread of its own
(:meth:`FakePlatforms.start_in_thread`), for a Rasa server in another process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.harness.stack import free_port


@dataclass
class Call:
    platform: str  # facebook | telegram | twilio
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    method: str = ""  # Telegram's API method, e.g. sendMessage
    result: Any = None  # what the fake answered (Telegram: the sent Message)


class FakePlatforms:
    """The three platforms' send APIs; ``calls`` is everything the channels sent."""

    def __init__(self, bot_name: str = "BackChatTestBot", bot_id: int = 5550001):
        self.bot_name = bot_name
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.url = ""
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    # ---- the fake APIs -------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/facebook/{version}/me/messages", self._graph_send)
        app.router.add_post("/telegram/bot{token}/{method}", self._telegram)
        app.router.add_post("/twilio/2010-04-01/Accounts/{sid}/Messages.json", self._twilio)
        return app

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    async def _graph_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(Call("facebook", request.path, dict(request.query), body))
        recipient = body.get("recipient", {}).get("id")
        if "sender_action" in body:
            return web.json_response({"recipient_id": recipient})
        return web.json_response({"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"})

    async def _telegram(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(form.get(key), str):
                form[key] = json.loads(form[key])
        method = request.match_info["method"]
        call = Call("telegram", request.path, dict(request.query), form, method=method)
        if method == "getMe":
            result: Any = {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "BackChat",
                "username": self.bot_name,
            }
        elif method.startswith("send"):
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(form.get("chat_id", 0)), "type": "private"},
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "BackChat"},
                "text": form.get("text", ""),
            }
        else:  # setWebhook, answerCallbackQuery, editMessageReplyMarkup
            result = True
        call.result = result
        self._record(call)
        return web.json_response({"ok": True, "result": result})

    async def _twilio(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        headers = {"Authorization": request.headers.get("Authorization", "")}
        self._record(Call("twilio", request.path, dict(request.query), form, headers))
        sid = request.match_info["sid"]
        message_sid = f"SM{next(self._ids):032d}"
        return web.json_response(
            {
                "sid": message_sid,
                "account_sid": sid,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "direction": "outbound-api",
                "num_segments": "1",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
            },
            status=201,
        )

    # ---- what the channels sent ----------------------------------------------------

    def messenger_messages(self, psid: str) -> list[dict[str, Any]]:
        """The Send API ``message`` objects sent to ``psid`` (not sender actions)."""
        return [
            c.body["message"]
            for c in list(self.calls)
            if c.platform == "facebook"
            and c.body.get("recipient", {}).get("id") == psid
            and "message" in c.body
        ]

    def messenger_actions(self, psid: str) -> list[str]:
        return [
            c.body["sender_action"]
            for c in list(self.calls)
            if c.platform == "facebook"
            and c.body.get("recipient", {}).get("id") == psid
            and "sender_action" in c.body
        ]

    def telegram(self, method: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The parameters of each ``method`` call (to ``chat_id``, if given)."""
        return [c.body for c in self.telegram_calls(method, chat_id)]

    def telegram_calls(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in list(self.calls)
            if c.platform == "telegram"
            and c.method == method
            and (chat_id is None or str(c.body.get("chat_id")) == str(chat_id))
        ]

    def twilio_messages(self, to: str) -> list[dict[str, Any]]:
        return [
            c.body for c in list(self.calls) if c.platform == "twilio" and c.body.get("To") == to
        ]

    def twilio_calls(self, to: str) -> list[Call]:
        return [c for c in list(self.calls) if c.platform == "twilio" and c.body.get("To") == to]

    # ---- running it ----------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def serve(self):
        """In the running event loop; yields the base URL."""
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self.url
        finally:
            await runner.cleanup()

    def start_in_thread(self) -> str:
        """In a thread with its own event loop (for a server in another process)."""
        ready = threading.Event()

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            async with self.serve():
                ready.set()
                await self._stop.wait()

        self._thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake platforms did not start")
        return self.url

    def stop_thread(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)
