"""Every channel owns a namespace of conversation ids, so no channel can name another's.

Rasa keys a conversation by one string, its sender id. The platform channels form it as
``<channel>:<platform id>`` (``twilio:whatsapp:+15875550123``, ``telegram:123456``,
``facebook:6543...``, ``socketio:<32 hex>`` for the widget); the platform id is what
the platform signed (Twilio, Telegram, Meta) or what the server issued (the widget).
The REST channel takes the caller's own id, which therefore may not contain ``:``: a
REST caller can name only REST conversations, never a visitor of another channel.

:class:`PlatformOutput` lets a platform's output channel reply to the platform id while
Rasa hands it the namespaced conversation id.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel

SEPARATOR = ":"
PLATFORM_CHANNELS = ("twilio", "telegram", "facebook", "socketio")


def conversation_id(channel: str, platform_id: str) -> str:
    """The conversation id of a platform's visitor: ``<channel>:<platform id>``."""
    return f"{channel}{SEPARATOR}{platform_id}"


def platform_id(channel: str, conversation: str) -> str:
    """The platform's id in a conversation id of ``channel`` (unchanged if not namespaced)."""
    prefix = f"{channel}{SEPARATOR}"
    return conversation[len(prefix) :] if conversation.startswith(prefix) else conversation


def is_namespaced(sender_id: str) -> bool:
    """Whether an id lies in a platform channel's namespace (REST ids never do)."""
    return SEPARATOR in sender_id


class PlatformOutput(OutputChannel):
    """A platform's output channel that Rasa can call with conversation ids.

    Every method Rasa calls gets the platform id instead; anything else (a channel's own
    methods such as Twilio's ``send_turn``) is the inner channel's, unchanged.
    """

    def __init__(self, inner: OutputChannel, channel: str):
        self.inner = inner
        self.channel = channel

    def name(self) -> str:  # type: ignore[override]  # Rasa's NLG picks responses by channel
        return self.inner.name()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    def _to(self, recipient_id: str) -> str:
        return platform_id(self.channel, recipient_id)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.inner.send_response(self._to(recipient_id), message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.inner.send_text_message(self._to(recipient_id), text, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.inner.send_image_url(self._to(recipient_id), image, **kwargs)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.inner.send_attachment(self._to(recipient_id), attachment, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.inner.send_text_with_buttons(self._to(recipient_id), text, buttons, **kwargs)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.inner.send_quick_replies(self._to(recipient_id), text, quick_replies, **kwargs)

    async def send_elements(self, recipient_id: str, elements: Any, **kwargs: Any) -> None:
        await self.inner.send_elements(self._to(recipient_id), elements, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self.inner.send_custom_json(self._to(recipient_id), json_message, **kwargs)
