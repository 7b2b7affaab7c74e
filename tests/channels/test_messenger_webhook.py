"""Messenger against the real Rasa server: signed webhooks in, Send API calls out."""

import pytest

from tests.channels.server import SECRETS
from tests.channels.visitors import (
    MessengerVisitor,
    assert_emergency_without_booking,
    triage_by_options,
)
from tests.support import payloads

pytestmark = [pytest.mark.servers]
SECRET = SECRETS["FACEBOOK_APP_SECRET"]


def test_the_verify_token_handshake(rasa):
    token = SECRETS["FACEBOOK_VERIFY_TOKEN"]
    query = f"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={token}"
    assert rasa.get(f"/webhooks/facebook/webhook?{query}") == (200, "1158201444")
    wrong = query.replace(token, "guessed")
    assert rasa.get(f"/webhooks/facebook/webhook?{wrong}")[0] == 403


def test_a_signed_message_gets_replies_with_quick_replies(rasa):
    visitor = MessengerVisitor(rasa)
    replies = visitor.say("hi")
    assert "not a doctor" in replies[0].text
    assert replies[-1].options == [
        "My lower back hurts",
        "Pain in my buttock",
        "Pain down my leg",
        "I have a question",
    ]
    assert rasa.platforms.messenger_actions(visitor.sender) == [
        "mark_seen",
        "typing_on",
        "typing_off",
    ]
    call = next(c for c in rasa.platforms.calls if c.platform == "facebook")
    assert call.path.startswith("/facebook/v")  # FACEBOOK_API_URL, then the Graph version
    assert call.query["access_token"] == SECRETS["FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert len(call.query["appsecret_proof"]) == 64


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: {}, id="missing"),
        pytest.param(lambda body: payloads.messenger_headers("not-the-secret", body), id="forged"),
        pytest.param(lambda body: {"X-Hub-Signature": "sha1=" + "0" * 40}, id="legacy-sha1-only"),
        pytest.param(
            lambda body: payloads.messenger_headers(SECRET, body.replace(b"hello", b"HELLO")),
            id="body-altered",
        ),
    ],
)
def test_unverified_requests_never_reach_the_bot(rasa, headers):
    visitor = MessengerVisitor(rasa)
    body = payloads.messenger_text(visitor.sender, "hello")
    status, _ = rasa.post("facebook", body, {"Content-Type": "application/json", **headers(body)})
    assert status in (401, 403)
    assert rasa.user_texts(visitor.conversation) == []
    assert rasa.platforms.messenger_messages(visitor.sender) == []


def test_a_replayed_request_is_dropped(rasa):
    visitor = MessengerVisitor(rasa)
    body = payloads.messenger_text(visitor.sender, "hi")
    headers = payloads.messenger_headers(SECRET, body)
    assert rasa.post("facebook", body, headers) == (200, "success")
    sent = len(rasa.platforms.messenger_messages(visitor.sender))
    assert rasa.post("facebook", body, headers) == (200, "duplicate")
    assert rasa.user_texts(visitor.conversation) == ["hi"]
    assert len(rasa.platforms.messenger_messages(visitor.sender)) == sent


@pytest.mark.parametrize(
    "body, status",
    [
        (b"", 400),
        (b"{not json", 400),
        (b'{"object": "page", "entry": "nope"}', 400),
        (b'{"object": "instagram", "entry": []}', 400),
        (b'{"object": "page", "entry": [{"messaging": [{"message": {"text": 1}}]}]}', 400),
        (b"x" * 200_000, 413),
    ],
)
def test_bad_bodies_get_a_4xx(rasa, body, status):
    assert rasa.post("facebook", body, payloads.messenger_headers(SECRET, body))[0] == status


def test_a_whole_triage_with_a_red_flag(rasa):
    visitor = MessengerVisitor(rasa)
    asked = triage_by_options(visitor)
    assert asked[-1] == "screen_cauda"
    assert_emergency_without_booking(visitor)
    assert visitor.replies[-1].options == []
    assert rasa.user_texts(visitor.conversation)[1] == '/inform{"body_part":"low_back"}'
