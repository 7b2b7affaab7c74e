"""The widget's side of the socket.io protocol, from a chosen local address (for nginx's hash)."""

from __future__ import annotations

import asyncio
import json
from ssl import SSLContext

import aiohttp
import socketio


class WidgetClient:
    """One browser tab: a session, messages acknowledged once the bot has answered."""

    def __init__(
        self,
        url: str,
        transport: str,
        local_address: str = "127.0.0.1",
        timeout_s: float = 30,
        ssl: SSLContext | None = None,
    ):
        self.url = url
        self.transport = transport
        self.timeout_s = timeout_s
        connector = aiohttp.TCPConnector(local_addr=(local_address, 0), ssl=ssl or None)
        self.http = aiohttp.ClientSession(connector=connector)
        self.client = socketio.AsyncClient(reconnection=False, http_session=self.http)
        self.replies: list[dict] = []
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data) -> None:
        self.replies.append(data)

    async def _on_confirm(self, data) -> None:
        await self.confirmed.put(data)

    async def __aenter__(self) -> WidgetClient:
        await self.client.connect(
            self.url, transports=[self.transport], wait_timeout=self.timeout_s
        )
        await self.client.emit("session_request", {"session_id": None})
        self.token = await asyncio.wait_for(self.confirmed.get(), self.timeout_s)
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            await asyncio.wait_for(self.client.eio.disconnect(abort=True), 5)
        finally:
            await self.http.close()

    async def say(self, text: str, timeout_s: float = 60) -> list[str]:
        """Send a message; the texts the bot answered with (they arrive before the ack)."""
        before = len(self.replies)
        ack = await self.client.call(
            "user_uttered", {"message": text, "session_id": self.token}, timeout=timeout_s
        )
        if not isinstance(ack, dict) or ack.get("status") != "ok":
            raise RuntimeError(f"message {text!r} not handled: {ack!r}")
        return [reply.get("text") or "" for reply in self.replies[before:]]

    @property
    def transport_in_use(self) -> str | None:
        return self.client.transport()


class WebsocketWidget:
    """The same tab over a websocket only (engine.io 4 / socket.io 5 frames by hand).

    python-engineio 4.15's websocket transport needs aiohttp 3.10; this project pins 3.9.
    """

    def __init__(self, url: str, local_address: str = "127.0.0.1", ssl: SSLContext | None = None):
        self.url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.local_address = local_address
        self.ssl = ssl
        self.acks = 0
        self.transport_in_use = "websocket"

    async def _receive(self) -> str:
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), 60)
            if frame == "2":  # engine.io ping
                await self.ws.send("3")
                continue
            return frame

    async def __aenter__(self) -> WebsocketWidget:
        import websockets

        extra = {"ssl": self.ssl} if self.ssl else {}
        self.ws = await websockets.connect(self.url, local_addr=(self.local_address, 0), **extra)
        assert (await self._receive()).startswith("0")  # engine.io open
        await self.ws.send("40")
        assert (await self._receive()).startswith("40")  # socket.io connected
        await self.ws.send('42["session_request",{"session_id":null}]')
        while True:
            event, data = self._event(await self._receive())
            if event == "session_confirm":
                self.token = data
                return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    @staticmethod
    def _event(frame: str):
        if not frame.startswith("42"):
            return None, None
        payload = json.loads(frame[2:])
        return payload[0], payload[1] if len(payload) > 1 else None

    async def say(self, text: str) -> list[str]:
        self.acks += 1
        body = json.dumps(["user_uttered", {"message": text, "session_id": self.token}])
        await self.ws.send(f"42{self.acks}{body}")
        texts = []
        while True:
            frame = await self._receive()
            if frame.startswith(f"43{self.acks}["):
                ack = json.loads(frame[len(f"43{self.acks}") :])[0]
                if ack.get("status") != "ok":
                    raise RuntimeError(f"message {text!r} not handled: {ack!r}")
                return texts
            event, data = self._event(frame)
            if event == "bot_uttered":
                texts.append(data.get("text") or "")
