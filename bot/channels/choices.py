"""Typed answers to the options the bot last offered: "2" means the second button.

Text-only channels show buttons as a numbered list; the reply is mapped back to that
button's payload here. The options are read from the conversation's tracker (the last
bot message with buttons since the visitor last spoke), so the mapping survives a
restart and always matches what the visitor was shown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Sanic

logger = logging.getLogger(__name__)

NUMBER = re.compile(r"^\s*#?\s*(\d{1,2})\s*[.)]?\s*$")

Button = dict[str, Any]


def choice_buttons(buttons: Iterable[Button] | None) -> list[Button]:
    """The buttons that answer with a payload (not links)."""
    return [b for b in buttons or [] if isinstance(b, dict) and b.get("payload") and b.get("title")]


def link_buttons(buttons: Iterable[Button] | None) -> list[Button]:
    """The buttons that open a web page."""
    return [b for b in buttons or [] if isinstance(b, dict) and b.get("url")]


def offered_buttons(events: Iterable[Event]) -> list[Button]:
    """The choices of the last bot message with buttons since the visitor last spoke."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            buttons = choice_buttons((event.data or {}).get("buttons"))
            if buttons:
                return buttons
    return []


def payload_for_reply(text: str, buttons: list[Button]) -> str | None:
    """The payload a reply picks: its number in the list, or a button's exact title."""
    if not buttons or not text:
        return None
    number = NUMBER.match(text)
    if number:
        index = int(number.group(1)) - 1
        return buttons[index]["payload"] if 0 <= index < len(buttons) else None
    folded = text.strip().casefold()
    for button in buttons:
        if str(button["title"]).strip().casefold() == folded:
            return button["payload"]
    return None


async def conversation_events(app: Sanic, sender_id: str) -> list[Event]:
    """The current session's events from Rasa's tracker store; [] if there is none."""
    agent = getattr(app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return []
    try:
        tracker = await store.retrieve(sender_id)
    except Exception:  # a store hiccup must not lose the message: it goes on as typed
        logger.exception("Could not read the tracker to map a numbered reply.")
        return []
    return list(tracker.events) if tracker else []
