"""Buttons as each platform shows them; :mod:`bot.channels.choices` maps the answer back.

* text: a numbered list (``1. Yes``), links as ``title: url`` (SMS, WhatsApp, and
  Messenger when its quick replies would hide options);
* Messenger: up to 13 quick replies, titles cut at 20 characters;
* Telegram: an inline keyboard, short titles side by side and long ones a row each; a
  payload over the 64-byte ``callback_data`` limit travels as a hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from aiogram.types import InlineKeyboardButton
from rasa.shared.core.events import BotUttered, Event

from bot.channels.choices import Button, choice_buttons, link_buttons

QUICK_REPLY_LIMIT = 13
QUICK_REPLY_TITLE_LIMIT = 20
CALLBACK_DATA_LIMIT = 64  # bytes
ROW_BUTTONS = 3
ROW_CHARACTERS = 24


def numbered_list(buttons: Iterable[Button]) -> str:
    """``1. Yes`` / ``2. No`` ..., one option a line."""
    return "\n".join(f"{n}. {b['title']}" for n, b in enumerate(buttons, start=1))


def link_lines(buttons: Iterable[Button]) -> list[str]:
    return [f"{b.get('title') or 'Link'}: {b['url']}" for b in buttons]


def needs_numbers(choices: list[Button]) -> bool:
    """Whether quick replies alone would hide options: too many, or titles cut short."""
    return len(choices) > QUICK_REPLY_LIMIT or any(
        len(str(b["title"])) > QUICK_REPLY_TITLE_LIMIT for b in choices
    )


def _short(title: str) -> str:
    if len(title) <= QUICK_REPLY_TITLE_LIMIT:
        return title
    return title[: QUICK_REPLY_TITLE_LIMIT - 1].rstrip() + "…"


def quick_reply_message(text: str, buttons: Iterable[Button] | None) -> dict[str, Any]:
    """A Messenger Send API ``message`` with the buttons as quick replies (links in the text)."""
    buttons = list(buttons or [])
    choices = choice_buttons(buttons)
    numbered = needs_numbers(choices)
    parts = [
        text or "",
        numbered_list(choices) if numbered else "",
        *link_lines(link_buttons(buttons)),
    ]
    message: dict[str, Any] = {"text": "\n\n".join(p for p in parts if p)}
    if choices:
        message["quick_replies"] = [
            {
                "content_type": "text",
                "title": _short(str(b["title"])),
                "payload": b["payload"],
            }
            for b in choices[:QUICK_REPLY_LIMIT]
        ]
    return message


def callback_data(payload: str) -> str:
    """The payload itself, or ``#<hash>`` when it is over Telegram's 64 bytes."""
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        return payload
    return "#" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def payload_for_token(token: str, events: Iterable[Event]) -> str | None:
    """The payload of the button whose ``callback_data`` was ``token``, newest first."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            for button in choice_buttons((event.data or {}).get("buttons")):
                if callback_data(button["payload"]) == token:
                    return button["payload"]
    return None


def keyboard_rows(buttons: Iterable[Button]) -> list[list[InlineKeyboardButton]]:
    """Telegram inline keyboard rows: short titles share a row, long ones get their own."""
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    width = 0
    for button in buttons:
        title = str(button.get("title") or "")
        if button.get("url"):
            key = InlineKeyboardButton(title, url=button["url"])
        elif button.get("payload") and title:
            key = InlineKeyboardButton(title, callback_data=callback_data(button["payload"]))
        else:
            continue
        if row and (len(row) >= ROW_BUTTONS or width + len(title) > ROW_CHARACTERS):
            rows.append(row)
            row, width = [], 0
        row.append(key)
        width += len(title)
    if row:
        rows.append(row)
    return rows
