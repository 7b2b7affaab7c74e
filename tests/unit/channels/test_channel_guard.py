"""The message guard every channel uses: cleaning, the cut, the pace limit, never silence."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guard import (
    MessageGuard,
    Notices,
    Outcome,
    PaceLimit,
    clean_text,
    reply_deadline_s,
)
from bot.runtime.env import SettingsError

NOTICES = Notices(phone="780-555-0100", emergency_number="911", limit=50)


def run(coro):
    return asyncio.new_event_loop().run_until_complete(coro)


class Bot:
    """Stands in for Rasa's agent: replies, stays silent, raises or takes its time."""

    def __init__(self, mode="reply", delay_s=0.0):
        self.mode, self.delay_s = mode, delay_s
        self.seen = []
        self.finished = asyncio.Event()

    async def __call__(self, message):
        self.seen.append(message.text)
        await asyncio.sleep(self.delay_s)
        if self.mode == "raise":
            raise ConnectionError("lock store down")
        if self.mode == "reply":
            await message.output_channel.send_text_message(
                message.sender_id, f"echo {message.text}"
            )
        self.finished.set()


def handle(bot, text, guard=None, sender="s1"):
    guard = guard or MessageGuard(notices=NOTICES, limit=50, deadline_s=0.3)
    output = CollectingOutputChannel()

    async def scenario():
        outcome = await guard.handle(bot, UserMessage(text, output, sender))
        return outcome, [m["text"] for m in output.messages]

    return run(scenario())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  my back hurts \n", "my back hurts"),
        ("my\x00 back\x07 hurts", "my back hurts"),
        ("line one\nline two\tend", "line one\nline two\tend"),
        ("bad \udcff byte", "bad  byte"),
        ("zero\u200bwidth", "zerowidth"),
        ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"),
        ("\u202eevil", "evil"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_clean_text_drops_control_characters_and_lone_surrogates(raw, expected):
    assert clean_text(raw).text == expected


def test_clean_text_cuts_at_the_limit_and_says_so():
    cleaned = clean_text("x" * 100_000, limit=2000)
    assert (len(cleaned.text), cleaned.was_cut) == (2000, True)
    assert clean_text("x" * 2000, limit=2000).was_cut is False


@given(st.text(max_size=3000))
def test_clean_text_output_is_bounded_and_encodable(raw):
    cleaned = clean_text(raw, limit=500)
    assert len(cleaned.text) <= 500
    cleaned.text.encode("utf-8")  # no lone surrogates left
    assert cleaned.text == cleaned.text.strip()


def test_pace_limit_allows_ten_in_ten_seconds_per_conversation():
    now = [0.0]
    pace = PaceLimit(messages=10, window_s=10, clock=lambda: now[0])
    assert all(pace.allow("a") for _ in range(10))
    assert not pace.allow("a")
    assert pace.allow("b"), "another conversation has its own allowance"
    now[0] = 10.0
    assert pace.allow("a")


def test_pace_limit_forgets_the_oldest_conversations():
    pace = PaceLimit(messages=1, window_s=60, senders=3)
    for sender in "abcd":
        assert pace.allow(sender)
    assert pace.allow("a"), "'a' was forgotten when 'd' arrived"
    assert not pace.allow("d")


def test_an_answer_passes_through():
    bot = Bot()
    assert handle(bot, "  my back  ") == (Outcome.ANSWERED, ["echo my back"])


def test_a_long_message_is_cut_with_a_notice_first():
    bot = Bot()
    outcome, texts = handle(bot, "y" * 120)
    assert outcome is Outcome.ANSWERED
    assert texts == [NOTICES.cut, "echo " + "y" * 50]
    assert "first 50 characters" in NOTICES.cut


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "\u200b"])
def test_an_empty_message_is_answered_without_the_bot(text):
    bot = Bot()
    assert handle(bot, text) == (Outcome.EMPTY, [NOTICES.empty])
    assert bot.seen == []


def test_silence_from_the_bot_becomes_an_apology_with_the_phone():
    outcome, texts = handle(Bot(mode="silent"), "hello")
    assert (outcome, texts) == (Outcome.SILENT, [NOTICES.apology])
    assert "780-555-0100" in NOTICES.apology and "911" in NOTICES.apology


def test_a_failing_bot_becomes_an_apology():
    assert handle(Bot(mode="raise"), "hello") == (Outcome.FAILED, [NOTICES.apology])


def test_a_slow_bot_gets_an_apology_at_the_deadline_and_still_finishes():
    bot = Bot(delay_s=0.6)
    guard = MessageGuard(notices=NOTICES, deadline_s=0.2)
    output = CollectingOutputChannel()

    async def scenario():
        started = time.monotonic()
        outcome = await guard.handle(bot, UserMessage("hello", output, "s1"))
        waited = time.monotonic() - started
        texts_at_deadline = [m["text"] for m in output.messages]
        await asyncio.wait_for(bot.finished.wait(), 5)
        await asyncio.sleep(0)
        return outcome, waited, texts_at_deadline, [m["text"] for m in output.messages]

    outcome, waited, at_deadline, finally_sent = run(scenario())
    assert outcome is Outcome.LATE
    assert waited < 0.5
    assert at_deadline == [NOTICES.still_working]
    assert "780-555-0100" in NOTICES.still_working and "911" in NOTICES.still_working
    assert finally_sent == [NOTICES.still_working, "echo hello"], "the late reply is not lost"


def test_messages_over_the_pace_limit_are_refused_politely():
    bot = Bot()
    guard = MessageGuard(notices=NOTICES, deadline_s=1, pace=PaceLimit(messages=2, window_s=60))
    outcomes = [handle(bot, f"m{i}", guard=guard)[0] for i in range(3)]
    assert outcomes == [Outcome.ANSWERED, Outcome.ANSWERED, Outcome.REFUSED]
    assert handle(bot, "m3", guard=guard)[1] == [NOTICES.too_fast]
    assert bot.seen == ["m0", "m1"]


@pytest.mark.parametrize(("raw", "expected"), [(None, 4.5), ("", 4.5), ("2", 2.0), ("60", 60)])
def test_reply_deadline_from_the_environment(raw, expected):
    env = {} if raw is None else {"BACKCHAT_REPLY_DEADLINE_S": raw}
    assert reply_deadline_s(env) == expected


@pytest.mark.parametrize("raw", ["abc", "0", "999"])
def test_a_bad_reply_deadline_is_refused_with_its_name(raw):
    with pytest.raises(SettingsError, match="BACKCHAT_REPLY_DEADLINE_S"):
        reply_deadline_s({"BACKCHAT_REPLY_DEADLINE_S": raw})


def test_notices_come_from_clinic_yml():
    notices = Notices.from_clinic()
    assert notices.phone and notices.phone in notices.apology
