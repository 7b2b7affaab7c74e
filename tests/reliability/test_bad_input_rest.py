"""Whatever arrives at the REST channel gets a clear answer or a 4xx, and nothing breaks.

Against the real stack (action server, Rasa, SQLite tracker store). Every test ends by
checking that the same conversation still works.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.guard import clean_text
from tests.support.rest import post, say, texts

WORKS = "my lower back hurts"


def new_sender() -> str:
    return f"bad-input-{uuid.uuid4().hex[:10]}"


def still_works(stack, sender):
    status, body = say(stack.rasa_url, sender, WORKS)
    assert status == 200 and texts(body), "the conversation must go on afterwards"
    assert not any("technical problem" in text for text in texts(body))


@pytest.mark.parametrize(
    ("body", "content_type", "status", "complaint"),
    [
        (b"", "application/json", 400, "not JSON"),
        (b"not json at all", "application/json", 400, "not JSON"),
        (b"\xff\xfe\x00binary\x80\x81", "application/octet-stream", 400, "not JSON"),
        (b'{"sender": "a", "message": "caf\xe9"}', "application/json", 400, "not JSON"),
        (b'["sender", "message"]', "application/json", 400, "not a JSON object"),
        (b'"just a string"', "application/json", 400, "not a JSON object"),
        (b'{"message": "hi"}', "application/json", 400, "'sender' is required"),
        (b'{"sender": "a"}', "application/json", 400, "'message' is required"),
        (b'{"sender": "a", "message": 42}', "application/json", 400, "'message' is required"),
        (b'{"sender": {"id": 1}, "message": "hi"}', "application/json", 400, "'sender'"),
        (b'{"sender": "a", "message": "hi", "metadata": [1]}', "application/json", 400, "metadata"),
        (b"sender=a&message=hi", "application/x-www-form-urlencoded", 400, "not JSON"),
    ],
)
def test_malformed_bodies_get_a_400_that_says_why(stack, body, content_type, status, complaint):
    got_status, got = post(stack.rasa_url, body, content_type)
    assert got_status == status
    assert complaint in got["error"]


def test_a_body_over_one_megabyte_is_refused_with_413(stack):
    body = json.dumps({"sender": new_sender(), "message": "x" * 1_100_000}).encode()
    status, _ = post(stack.rasa_url, body)
    assert status == 413


def test_a_100_kb_message_is_cut_with_a_polite_notice_and_answered(stack):
    sender = new_sender()
    message = "my back hurts on the left side. " * 3200  # about 100 kB
    status, body = say(stack.rasa_url, sender, message)
    assert status == 200
    replies = texts(body)
    assert "read only its first 2,000 characters" in replies[0]
    assert len(replies) >= 2, "the cut text is answered too"
    events = stack.tracker(sender)["events"]
    stored = [e["text"] for e in events if e["event"] == "user"]
    assert len(stored[-1]) <= 2000
    still_works(stack, sender)


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "\u200b\u200b"])
def test_empty_messages_are_asked_to_type_something(stack, message):
    sender = new_sender()
    status, body = say(stack.rasa_url, sender, message)
    assert (status, texts(body)) == (
        200,
        ["I didn't receive any text. Please type your question in a few words."],
    )
    still_works(stack, sender)


@pytest.mark.parametrize("message", ["😭😭😭", "👍", "?!?!", "🙏🙏 ..."])
def test_messages_without_words_get_the_fallback(stack, message):
    sender = new_sender()
    status, body = say(stack.rasa_url, sender, message)
    assert status == 200
    assert any("didn't quite understand" in t for t in texts(body)), texts(body)
    still_works(stack, sender)


@pytest.mark.parametrize(
    "message",
    [
        "j'ai mal au dos depuis deux semaines",
        "me duele la espalda desde hace un mes",
        "我的腰很痛",
        "ਮੇਰੀ ਪਿੱਠ ਵਿੱਚ ਦਰਦ ਹੈ",
        "masakit ang likod ko po",
    ],
)
def test_other_languages_are_told_english_only_with_the_clinic_phone(stack, clinic, message):
    sender = new_sender()
    status, body = say(stack.rasa_url, sender, message)
    assert status == 200
    answer = " ".join(texts(body))
    assert "only understand English" in answer and clinic.phone in answer
    still_works(stack, sender)


def test_another_language_mid_triage_keeps_the_form_going(stack, clinic):
    sender = new_sender()
    say(stack.rasa_url, sender, "hi")
    status, body = say(stack.rasa_url, sender, "my lower back hurts")
    assert status == 200
    status, body = say(stack.rasa_url, sender, "no entiendo la pregunta, tengo dolor")
    answer = texts(body)
    assert "only understand English" in answer[0]
    assert len(answer) >= 2, "the form asks its question again"
    assert stack.tracker(sender)["active_loop"].get("name") == "triage_form"


@pytest.mark.parametrize(
    "message",
    [
        "<script>alert('x')</script> my back hurts",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE events; --",
        "1' OR '1'='1",
        "Robert'); DELETE FROM events WHERE ('1'='1",
        "\x00\x01\x02 my back",
        "{{7*7}} ${jndi:ldap://x} %s%s%s",
    ],
)
def test_markup_and_sql_looking_text_is_just_text(stack, message):
    sender = new_sender()
    status, body = say(stack.rasa_url, sender, message)
    assert status == 200 and texts(body)
    stored = [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert stored[-1] == clean_text(message).text, "stored as the visitor wrote it"
    with sqlite3.connect(stack.var_dir / "tracker.db") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()
    assert count > 0, "the events table is intact and holds this conversation"
    still_works(stack, sender)


def test_extremely_fast_messages_get_answers_or_429_never_500(stack):
    sender = new_sender()
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda i: say(stack.rasa_url, sender, f"message {i}"), range(40)))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) == 20, "twenty messages in ten seconds are accepted"
    refused = [body for status, body in results if status == 429]
    assert all("faster than I can read" in texts(body)[0] for body in refused)
    deadline = time.monotonic() + 60  # turns still waiting for the lock finish late
    while time.monotonic() < deadline:
        stored = [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
        if len(stored) >= 20:
            break
        time.sleep(0.5)
    accepted = [f"message {i}" for i, (status, _) in enumerate(results) if status == 200]
    assert sorted(stored) == sorted(accepted), "each accepted message is stored once"
    time.sleep(10.5)
    still_works(stack, sender)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
MESSAGE_BODIES = st.fixed_dictionaries(
    {
        "sender": st.one_of(st.text(max_size=140), st.integers(), st.none(), st.booleans()),
        "message": st.one_of(st.text(max_size=2500), st.integers(), st.none(), JSON),
    },
    optional={"metadata": JSON},
)
BODIES = st.one_of(
    st.binary(max_size=400),
    JSON.map(lambda value: json.dumps(value).encode()),
    MESSAGE_BODIES.map(lambda value: json.dumps(value).encode()),
)
FUZZ_CASES = 150


@settings(max_examples=FUZZ_CASES, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=BODIES)
def test_fuzzed_bodies_never_get_a_500(stack, body):
    status, answer = post(stack.rasa_url, body)
    assert status in {200, 400, 429}, (status, answer)
    if status == 200:
        assert isinstance(answer, list) and answer, "a 200 always carries at least one message"
        assert all(isinstance(m, dict) and m.get("recipient_id") is not None for m in answer)
