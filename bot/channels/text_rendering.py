"""Bot messages as plain text, for channels that show nothing else (SMS, WhatsApp).

Links become bare URLs, buttons a numbered list (see :mod:`bot.channels.choices` for
the way back), images and attachments their URL. Within one turn the red-flag advice
goes first, and the turn is packed into as few messages as the platform allows, so an
SMS network that reorders messages cannot put the advice after anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.channels.buttons import link_lines, numbered_list
from bot.channels.choices import choice_buttons, link_buttons

# Responses that tell the visitor to seek care now (domain.yml); they go first.
ADVICE_RESPONSES = frozenset({"utter_emergency", "utter_urgent", "utter_emergency_reminder"})
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*(https?://[^)\s]+)\s*\)")
REPLY_HINT = "(Reply with a number, or type your answer.)"
SMS_BODY_LIMIT = 1600  # Twilio's limit for one SMS or WhatsApp body

Message = dict[str, Any]


def plain_links(text: str) -> str:
    """``[the page](https://x)`` -> ``the page: https://x``."""

    def bare(match: re.Match) -> str:
        title, url = match.group(1).strip(), match.group(2)
        return url if title in (url, url.split("://", 1)[-1]) else f"{title}: {url}"

    return MARKDOWN_LINK.sub(bare, text or "")


def _custom_text(custom: Any) -> str:
    if isinstance(custom, dict) and isinstance(custom.get("text"), str):
        return plain_links(custom["text"])
    return ""  # structured payloads are for rich channels; nothing sensible to show


def message_text(message: Message) -> str:
    """One bot message (as Rasa hands it to a channel) as plain text."""
    parts = [plain_links(message.get("text") or "").strip()]
    buttons = message.get("buttons") or message.get("quick_replies")
    choices = choice_buttons(buttons)
    if choices:
        parts.append(f"{numbered_list(choices)}\n{REPLY_HINT}")
    parts.extend(link_lines(link_buttons(buttons)))
    for element in message.get("elements") or []:
        if isinstance(element, dict):
            heading = " - ".join(str(element[k]) for k in ("title", "subtitle") if element.get(k))
            parts.append("\n".join([heading, *link_lines(link_buttons(element.get("buttons")))]))
    image = message.get("image")
    if isinstance(image, str):
        parts.append(image)
    attachment = message.get("attachment")
    if isinstance(attachment, str) and attachment != image:
        parts.append(attachment)
    elif isinstance(attachment, dict) and isinstance(attachment.get("payload"), dict):
        parts.append(attachment["payload"].get("src") or attachment["payload"].get("url") or "")
    parts.append(_custom_text(message.get("custom")))
    return "\n\n".join(part for part in parts if part and part.strip())


def is_advice(message: Message) -> bool:
    return message.get("utter_action") in ADVICE_RESPONSES


def advice_first(messages: Iterable[Message]) -> list[Message]:
    """The turn's messages with red-flag advice first, otherwise in their order."""
    ordered = list(messages)
    return [m for m in ordered if is_advice(m)] + [m for m in ordered if not is_advice(m)]


def turn_bodies(messages: Iterable[Message], limit: int = SMS_BODY_LIMIT) -> list[str]:
    """A whole turn as few bodies of at most ``limit`` characters, advice first."""
    paragraphs: list[str] = []
    for message in advice_first(messages):
        text = message_text(message)
        if text:
            paragraphs.extend(p for p in text.split("\n\n") if p.strip())
    bodies: list[str] = []
    current = ""
    for paragraph in paragraphs:
        for piece in _pieces(paragraph, limit):
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                bodies.append(current)
                current = piece
    if current:
        bodies.append(current)
    return bodies


def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph cut at spaces into pieces of at most ``limit`` characters."""
    pieces = []
    while len(paragraph) > limit:
        cut = paragraph.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        pieces.append(paragraph[:cut].rstrip())
        paragraph = paragraph[cut:].lstrip()
    return [*pieces, paragraph]
