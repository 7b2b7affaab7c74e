"""The stack's own behaviour: restart keeps conversations, a dead server stops all."""

import socket
import uuid

from bot.harness.stack import RunningStack


def test_a_conversation_survives_a_restart(tmp_path):
    first = RunningStack(tmp_path).start()
    sender = uuid.uuid4().hex
    try:
        first.chat(sender, "my lower back hurts")
        before = first.tracker(sender)["events"]
    finally:
        assert first.stop() == 0
    second = RunningStack(tmp_path, ports=first.ports).start()
    try:
        after = second.tracker(sender)
        assert len(after["events"]) >= len(before)
        assert after["slots"]["pain_location"] == "low_back"
    finally:
        assert second.stop() == 0


def test_if_one_server_cannot_start_the_others_stop_and_the_command_fails(tmp_path):
    stack = RunningStack(tmp_path)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", stack.ports["web"]))
        blocker.listen()
        stack.start(wait=False)
        status = stack.wait_exit(timeout_s=240)
    assert status != 0
    assert "web exited" in "".join(stack.output)
