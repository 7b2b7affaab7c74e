"""Conversation ids per channel, and the output that replies to the platform's own id."""

import asyncio
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.namespaces import PlatformOutput, conversation_id, is_namespaced, platform_id


class Recording(OutputChannel):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    @classmethod
    def name(cls) -> str:
        return "twilio"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent.append((recipient_id, text))

    def platform_only(self) -> str:
        return "passed through"


def test_platform_ids_get_their_channels_namespace_and_back():
    conversation = conversation_id("twilio", "whatsapp:+15875550123")
    assert conversation == "twilio:whatsapp:+15875550123"
    assert platform_id("twilio", conversation) == "whatsapp:+15875550123"
    assert is_namespaced(conversation) and not is_namespaced("eval-v001-0123abcd")


def test_rasa_replies_to_the_conversation_id_and_the_platform_gets_its_own_id():
    inner = Recording()
    output = PlatformOutput(inner, "twilio")
    message: dict[str, Any] = {"text": "hello"}
    asyncio.run(output.send_response("twilio:+15875550123", message))
    asyncio.run(output.send_text_message("twilio:whatsapp:+1", "again"))
    assert inner.sent == [("+15875550123", "hello"), ("whatsapp:+1", "again")]
    assert output.name() == "twilio" and output.platform_only() == "passed through"
