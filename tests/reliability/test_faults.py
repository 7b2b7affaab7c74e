"""The action server dies or hangs mid-conversation: the visitor hears back within 5 s.

The action server runs as its own process here (the stack's supervisor would otherwise
stop everything when it dies), so the test can kill, freeze (SIGSTOP) and restart it
while the real Rasa server goes on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from bot.harness.stack import ROOT, RunningStack, free_port
from tests.support.rest import timed_say, user_texts

REPLY_WITHIN_S = 5.0
APOLOGY = "technical problem"


class ActionServer:
    """``python -m rasa_sdk`` on a fixed port that a test can kill, freeze and restart."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> ActionServer:
        env = {**os.environ, "SANIC_KEEP_ALIVE_TIMEOUT": "120"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("the action server did not start")

    def signal(self, signum: int) -> None:
        os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """A Rasa server (through bot.runtime.stack --only rasa) and a separate action server."""
    actions = ActionServer(free_port()).start()
    ports = {"rasa": free_port(), "actions": actions.port, "web": free_port()}
    rasa = RunningStack(tmp_path_factory.mktemp("var"), only="rasa", ports=ports).start()
    yield rasa, actions
    actions.signal(signal.SIGCONT)
    actions.kill()
    assert rasa.stop() == 0


def test_action_server_down_gets_an_apology_with_the_phone_then_resumes(split):
    from bot.clinic import load_clinic

    rasa, actions = split
    sender = f"fault-down-{uuid.uuid4().hex[:8]}"
    status, replies, _ = timed_say(rasa, sender, "hi")
    assert status == 200 and not any(APOLOGY in r for r in replies)

    actions.kill()
    status, replies, took = timed_say(rasa, sender, "my lower back hurts")
    assert status == 200
    assert took < REPLY_WITHIN_S, f"the visitor waited {took:.1f} s"
    assert any(APOLOGY in r and load_clinic().phone in r for r in replies), replies

    actions.start()
    status, replies, _ = timed_say(rasa, sender, "my lower back hurts")
    assert status == 200 and replies and not any(APOLOGY in r for r in replies), replies
    assert user_texts(rasa, sender) == ["hi", "my lower back hurts", "my lower back hurts"], (
        "the message sent while the action server was down is kept"
    )


def test_a_hung_action_server_gets_an_apology_and_the_late_turn_completes(split):
    rasa, actions = split
    sender = f"fault-hung-{uuid.uuid4().hex[:8]}"
    timed_say(rasa, sender, "hi")
    timed_say(rasa, sender, "my lower back hurts")

    actions.signal(signal.SIGSTOP)
    try:
        status, replies, took = timed_say(rasa, sender, "for about two weeks")
        assert status == 200
        assert took < REPLY_WITHIN_S, f"the visitor waited {took:.1f} s"
        assert replies and "taking longer than it should" in replies[0]
        time.sleep(1.0)
    finally:
        actions.signal(signal.SIGCONT)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the late turn goes on in the background
        events = rasa.tracker(sender)["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        late_turn_saved = events[last_user]["text"] == "for about two weeks"
        if late_turn_saved and any(e["event"] == "bot" for e in events[last_user:]):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the late turn never finished")
    tracker = rasa.tracker(sender)
    tail = [(e["event"], e.get("name") or e.get("text")) for e in tracker["events"][last_user:]]
    assert tracker["slots"]["pain_duration_days"] == 14, f"its facts were kept: {tail}"

    status, replies, _ = timed_say(rasa, sender, "no it doesn't go into my leg")
    assert status == 200 and replies and not any(APOLOGY in r for r in replies), replies
