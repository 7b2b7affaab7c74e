"""Telegram against the real Rasa server: updates with the secret token in, Bot API out."""

import time

import pytest

from tests.channels.server import SECRETS
from tests.channels.visitors import (
    TelegramVisitor,
    assert_emergency_without_booking,
    triage_by_options,
)
from tests.support import payloads

pytestmark = [pytest.mark.servers]
SECRET = SECRETS["TELEGRAM_WEBHOOK_SECRET"]


def test_the_webhook_is_registered_with_its_secret_at_start_up(rasa):
    deadline = time.monotonic() + 10
    while not rasa.platforms.telegram("setWebhook") and time.monotonic() < deadline:
        time.sleep(0.2)
    registration = rasa.platforms.telegram("setWebhook")[0]
    assert registration["url"] == rasa.webhook("telegram")
    assert registration["secret_token"] == SECRET
    assert set(registration["allowed_updates"]) == {"message", "edited_message", "callback_query"}


def test_start_gets_the_welcome_and_an_inline_keyboard(rasa):
    visitor = TelegramVisitor(rasa)
    replies = visitor.say("/start")
    assert rasa.user_texts(visitor.conversation) == ["/greet"]
    assert "not a doctor" in replies[0].text
    keyboard = rasa.platforms.telegram("sendMessage", visitor.chat_id)[-1]["reply_markup"]
    rows = [[key["text"] for key in row] for row in keyboard["inline_keyboard"]]
    assert [title for row in rows for title in row] == [
        "My lower back hurts",
        "Pain in my buttock",
        "Pain down my leg",
        "I have a question",
    ]
    assert all(len(row) <= 3 for row in rows)
    key = keyboard["inline_keyboard"][0][0]
    assert key["callback_data"] == '/inform{"body_part":"low_back"}'


def test_a_tap_is_acknowledged_and_its_keyboard_removed(rasa):
    visitor = TelegramVisitor(rasa)
    visitor.say("hi")
    visitor.choose("My lower back hurts")
    assert rasa.user_texts(visitor.conversation)[-1] == '/inform{"body_part":"low_back"}'
    assert rasa.platforms.telegram("answerCallbackQuery")
    edits = rasa.platforms.telegram("editMessageReplyMarkup", visitor.chat_id)
    assert edits and "reply_markup" not in edits[-1]


@pytest.mark.parametrize("secret", [None, "", "guessed-secret", SECRET + "x"])
def test_updates_without_the_secret_never_reach_the_bot(rasa, secret):
    visitor = TelegramVisitor(rasa)
    body = payloads.telegram_text(visitor.chat_id, "hello")
    status, _ = rasa.post("telegram", body, payloads.telegram_headers(secret))
    assert status == (401 if not secret else 403)
    assert rasa.user_texts(visitor.conversation) == []
    assert rasa.platforms.telegram("sendMessage", visitor.chat_id) == []


def test_a_replayed_update_is_dropped(rasa):
    visitor = TelegramVisitor(rasa)
    body = payloads.telegram_text(visitor.chat_id, "hi")
    assert rasa.post("telegram", body, payloads.telegram_headers(SECRET)) == (200, "success")
    sent = len(rasa.platforms.telegram("sendMessage", visitor.chat_id))
    assert rasa.post("telegram", body, payloads.telegram_headers(SECRET)) == (200, "duplicate")
    assert rasa.user_texts(visitor.conversation) == ["hi"]
    assert len(rasa.platforms.telegram("sendMessage", visitor.chat_id)) == sent


def test_group_chats_are_not_answered(rasa):
    body = payloads.telegram_text(-1001234567890, "my back hurts", kind="supergroup")
    assert rasa.post("telegram", body, payloads.telegram_headers(SECRET)) == (200, "ignored")
    assert rasa.platforms.telegram("sendMessage", -1001234567890) == []


@pytest.mark.parametrize(
    "body, status",
    [
        (b"", 400),
        (b"[1, 2]", 400),
        (b'{"message": {"text": "no update id"}}', 400),
        (b'{"update_id": 7, "message": {"chat": "not a chat"}}', 400),
        (b"x" * 200_000, 413),
    ],
)
def test_bad_bodies_get_a_4xx(rasa, body, status):
    assert rasa.post("telegram", body, payloads.telegram_headers(SECRET))[0] == status


def test_a_whole_triage_with_a_red_flag(rasa):
    visitor = TelegramVisitor(rasa)
    asked = triage_by_options(visitor)
    assert asked[-1] == "screen_cauda"
    assert_emergency_without_booking(visitor)
