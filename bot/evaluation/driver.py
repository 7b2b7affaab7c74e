"""Play one simulated visitor against a running Rasa server."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from .client import RasaError
from .script import Script
from .state import TrackerState, read_state
from .visitors import Visitor

MAX_TURNS = 25


class Client(Protocol):
    def send(self, sender: str, message: str) -> list[dict[str, Any]]: ...

    def tracker(self, sender: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Turn:
    """One visitor message, the bot's replies and the tracker state afterwards."""

    number: int
    source: str
    text: str
    replies: tuple[dict[str, Any], ...]
    state: TrackerState


@dataclass
class Conversation:
    """A played conversation; ``stop_reason`` is result, stalled, max_turns or error."""

    visitor_id: str
    sender: str
    turns: list[Turn] = field(default_factory=list)
    stop_reason: str = "error"
    error: str | None = None

    @property
    def final(self) -> TrackerState:
        return self.turns[-1].state if self.turns else TrackerState()


def new_sender(visitor_id: str) -> str:
    """A fresh conversation id, so reruns never share a tracker."""
    return f"eval-{visitor_id}-{uuid.uuid4().hex[:12]}"


def play(
    client: Client,
    visitor: Visitor,
    max_turns: int = MAX_TURNS,
    sender: str | None = None,
    mode: str = "truthful",
) -> Conversation:
    """Send the opener, then answer what the bot asks until triage ends or max_turns.

    HTTP failures end the conversation with stop_reason "error"; they never raise.
    ``mode`` is the visitor's mode (``script.MODES``).
    """
    conversation = Conversation(visitor.id, sender or new_sender(visitor.id))
    script = Script(visitor, mode)
    message = script.opener()
    try:
        while message is not None:
            replies = client.send(conversation.sender, message.text)
            state = read_state(client.tracker(conversation.sender))
            number = len(conversation.turns) + 1
            conversation.turns.append(
                Turn(number, message.source, message.text, tuple(replies), state)
            )
            message = script.next(number, state)
            if message is not None and number >= max_turns:
                conversation.stop_reason = "max_turns"
                return conversation
        conversation.stop_reason = script.stop_reason or "result"
    except RasaError as error:
        conversation.stop_reason = "error"
        conversation.error = str(error)
    return conversation
