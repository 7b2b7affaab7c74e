"""The widget's socket.io channel: Rasa's protocol, with sessions the server signs.

Rasa 3.6's ``SocketIOInput`` lets a client join whatever session id it names in
``session_request``, and with python-socketio 5 it never awaits ``enter_room`` (a
coroutine on the async server), so with ``session_persistence`` on the client never
joins the room the replies are sent to. This subclass keeps Rasa's events
(``session_request`` / ``session_confirm``, ``user_uttered`` / ``bot_uttered``) and
Rasa's connect handler (JWT check) but:

* issues every session id itself, as a token signed with HMAC-SHA256
  (:mod:`bot.channels.session_tokens`); the secret comes from
  ``BACKCHAT_SESSION_SECRET`` or is generated once into ``$BACKCHAT_VAR_DIR/session-secret``;
* resumes a session only if its token verifies; anything else (a guessed id, a forged
  or altered token, an expired one) gets a fresh session instead;
* awaits ``enter_room`` and binds the socket to the verified session, so a message is
  always handled as the socket's own session, whatever ``session_id`` it carries; Rasa's
  conversation id (and the room) is ``socketio:<session id>``
  (:mod:`bot.channels.namespaces`), so no REST caller can name it;
* sends every reply to the room of that session only (Rasa's output would let a custom
  payload choose its room);
* acknowledges each message once the bot has handled it and drops a message id it has
  already seen, so a widget can safely resend what it was not sure had arrived;
* accepts metadata only as a small JSON object (:mod:`bot.channels.metadata`; else the
  ack is ``bad_metadata``);
* passes every text through the :class:`~bot.channels.guard.MessageGuard` (cut at
  ``max_message_length`` with a notice, a pace limit, an apology instead of silence).

Register it in credentials.yml by module path::

    bot.channels.signed_socketio.SignedSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      session_max_age_s: 604800   # optional; 0 = tokens never expire
      max_message_length: 2000    # optional; longer messages are cut, with a notice
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncServer

from bot.channels.guard import MAX_MESSAGE_CHARS, MessageGuard, Outcome
from bot.channels.metadata import MAX_METADATA_BYTES, MetadataRefused, bounded_metadata
from bot.channels.namespaces import conversation_id
from bot.channels.seen_ids import SeenIds
from bot.channels.session_tokens import (
    DEFAULT_MAX_AGE_S,
    SessionSigner,
    new_session_id,
    session_secret,
)
from bot.runtime.settings import load_settings

logger = logging.getLogger(__name__)

REMEMBERED_IDS_PER_SESSION = 64
# The widget marks a message whose ack is an error; the guard has already said why.
ACKS = {
    Outcome.REFUSED: {"status": "error", "error": "too_fast"},
    Outcome.FAILED: {"status": "error", "error": "server_error"},
}
REMEMBERED_SESSIONS = 10_000


class SignedSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, always to the conversation's own room and namespace."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str, namespace: str | None = None):
        super().__init__(sio, bot_message_evt)
        self.namespace = namespace

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await self.sio.emit(
            self.bot_message_evt, response, room=socket_id, namespace=self.namespace
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Custom payloads arrive as ``{"custom": {...}}``; they cannot pick a room."""
        await self._send_message(recipient_id, {"custom": json_message})


class SignedSocketIOInput(SocketIOInput):
    """socket.io input whose sessions are issued and verified by the server."""

    def __init__(
        self,
        *args: Any,
        signer: SessionSigner | None = None,
        max_message_length: int = MAX_MESSAGE_CHARS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signer = signer
        self.guard = MessageGuard(limit=max_message_length)
        self.recent_ids = SeenIds(size=REMEMBERED_IDS_PER_SESSION, scopes=REMEMBERED_SESSIONS)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Rasa's keys, plus ``session_max_age_s`` and ``max_message_length``."""
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SignedSocketIOInput)
        secret = session_secret(load_settings().var_dir)
        max_age = int(credentials.get("session_max_age_s", DEFAULT_MAX_AGE_S))
        channel.signer = SessionSigner(secret, max_age_s=max_age)
        channel.guard = MessageGuard(
            limit=int(credentials.get("max_message_length", MAX_MESSAGE_CHARS))
        )
        return channel

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()
        return SignedSocketIOOutput(self.sio, self.bot_message_evt, self.namespace)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint and connect handler, with this channel's session handlers."""
        if self.signer is None:
            raise RuntimeError("SignedSocketIOInput needs a signer: use from_credentials")
        socketio_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        async def session_request(sid: str, data: Any = None) -> None:
            await self.start_session(sid, data)

        async def user_uttered(sid: str, data: Any = None) -> dict[str, str]:
            return await self.handle_user_message(sid, data, on_new_message)

        # Replaces the handlers Rasa registered for these events.
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        return socketio_blueprint

    async def start_session(self, sid: str, data: Any) -> str:
        """Resume the session the client names if its token verifies, else start one.

        Emits ``session_confirm`` with the (re-issued) token and returns the session id.
        """
        sio = self.sio
        assert sio is not None and self.signer is not None
        token = data.get("session_id") if isinstance(data, dict) else None
        session_id = self.signer.verify(token) if token else None
        if token and session_id is None:
            logger.info("Socket %s named a session that does not verify; starting a new one.", sid)
        session_id = session_id or new_session_id()
        async with sio.session(sid, namespace=self.namespace) as session:
            previous = session.get("session_id")
            session["session_id"] = session_id
        if previous and previous != session_id:
            await sio.leave_room(sid, self.conversation(previous), namespace=self.namespace)
        await sio.enter_room(sid, self.conversation(session_id), namespace=self.namespace)
        await sio.emit(
            "session_confirm", self.signer.issue(session_id), room=sid, namespace=self.namespace
        )
        logger.debug("Socket %s joined session %s.", sid, session_id)
        return session_id

    def conversation(self, session_id: str) -> str:
        """Rasa's conversation id of a session, and the room its replies go to."""
        return conversation_id(self.name(), session_id)

    async def _bound_session(self, sid: str) -> str | None:
        sio = self.sio
        assert sio is not None
        try:
            session = await sio.get_session(sid, namespace=self.namespace)
        except KeyError:
            return None
        return session.get("session_id")

    async def handle_user_message(
        self, sid: str, data: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> dict[str, str]:
        """Hand a message to Rasa as the socket's verified session; the result is the ack."""
        session_id = await self._bound_session(sid)
        if session_id is None:
            logger.info("Socket %s sent a message before its session was confirmed.", sid)
            return {"status": "error", "error": "no_session"}
        if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
            return {"status": "error", "error": "bad_message"}
        message_id = data.get("message_id")
        fresh = not isinstance(message_id, str) or not message_id
        if not fresh and not self.recent_ids.first_time(message_id[:100], scope=session_id):
            return {"status": "duplicate"}
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata) if len(metadata) <= MAX_METADATA_BYTES else {}
            except (ValueError, RecursionError):
                metadata = {}
        try:
            metadata = bounded_metadata(metadata if isinstance(metadata, dict) else {})
        except MetadataRefused:
            return {"status": "error", "error": "bad_metadata"}
        message = UserMessage(
            data.get("message", ""),
            self.get_output_channel(),
            self.conversation(session_id),
            input_channel=self.name(),
            metadata=metadata,
        )
        outcome = await self.guard.handle(on_new_message, message, self._address(sid))
        return ACKS.get(outcome, {"status": "ok"})

    def _address(self, sid: str) -> str | None:
        """The client's address (behind trusted proxies when Sanic is told of them)."""
        assert self.sio is not None
        environ = self.sio.get_environ(sid, namespace=self.namespace) or {}
        request = environ.get("sanic.request")
        if request is None:
            return environ.get("REMOTE_ADDR")
        return request.remote_addr or request.ip
