"""What a simulated visitor says next, given the bot's state (no I/O).

Order of precedence after each bot turn:

1. an ``extra`` that is due (``after_turn`` messages sent, or ``after_answer`` answered);
2. when triage is finished: any extra not yet sent, else stop ("result");
3. when the bot asks for a slot: the visitor's answer, or "not sure";
4. the next ``followup`` (the bot asked nothing, e.g. after "hi");
5. any extra not yet sent; otherwise stop ("stalled").
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import TrackerState
from .visitors import SCREEN_SLOTS, Visitor

NOT_SURE = "not sure"
#: The slot of the bot's targeted question about a possible red flag, which quotes the
#: visitor's own words: a visitor answers it truthfully, yes only when the flag asked
#: about (slot ``pending_red_flag``) is the visitor's own.
CONFIRM_SLOT = "confirm_red_flag"
#: Visitor modes. ``truthful`` answers every question as written. ``own_words`` is the
#: visitor whose red flag must be caught from what they said: once they have told it (in
#: the opener, in passing, mid-story), they answer the generic safety questions "no";
#: before that, as written.
MODES = ("truthful", "own_words")
OWN_WORDS_SCREEN_REPLY = "no"


@dataclass(frozen=True)
class Message:
    """One visitor message; ``source`` says where in the script it came from:
    opener, answer:<slot>, not_sure:<slot>, extra:<i> or followup:<i>."""

    source: str
    text: str


class Script:
    """Tracks which extras and followups a visitor has used up."""

    def __init__(self, visitor: Visitor, mode: str = "truthful") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.visitor = visitor
        self.mode = mode
        self._extras_left = list(range(len(visitor.extra)))
        self._followups_left = list(range(len(visitor.followups)))
        self._answered: set[str] = set()
        self._sent: list[str] = []
        self.stop_reason: str | None = None

    def opener(self) -> Message:
        return self._said(Message("opener", self.visitor.opener))

    @property
    def _flag_told(self) -> bool:
        flag = self.visitor.red_flag
        return flag is not None and any(carries(source, flag.said_in) for source in self._sent)

    def _said(self, message: Message) -> Message:
        self._sent.append(message.source)
        return message

    def next(self, turns_sent: int, state: TrackerState) -> Message | None:
        """The next message, or None (``stop_reason`` then says why)."""
        message = self._next(turns_sent, state)
        return None if message is None else self._said(message)

    def _next(self, turns_sent: int, state: TrackerState) -> Message | None:
        due = self._due_extra(turns_sent)
        if due is not None:
            return self._extra(due)
        if state.finished:
            if self._extras_left:
                return self._extra(self._extras_left[0])
            self.stop_reason = "result"
            return None
        if state.requested_slot:
            return self._answer(state.requested_slot, state)
        if self._followups_left:
            index = self._followups_left.pop(0)
            return Message(f"followup:{index}", self.visitor.followups[index])
        if self._extras_left:
            return self._extra(self._extras_left[0])
        self.stop_reason = "stalled"
        return None

    def _due_extra(self, turns_sent: int) -> int | None:
        for index in self._extras_left:
            extra = self.visitor.extra[index]
            if extra.after_turn is not None and extra.after_turn <= turns_sent:
                return index
            if extra.after_answer is not None and extra.after_answer in self._answered:
                return index
        return None

    def _extra(self, index: int) -> Message:
        self._extras_left.remove(index)
        return Message(f"extra:{index}", self.visitor.extra[index].text)

    def _answer(self, slot: str, state: TrackerState | None = None) -> Message:
        self._answered.add(slot)
        if slot == CONFIRM_SLOT:
            asked = (state.slots if state else {}).get("pending_red_flag")
            flag = self.visitor.red_flag
            return Message(f"answer:{slot}", "yes" if flag and flag.id == asked else "no")
        flag = self.visitor.red_flag
        told = flag is not None and flag.where != "screen" and self._flag_told
        if self.mode == "own_words" and slot in SCREEN_SLOTS and told:
            return Message(f"answer:{slot}", OWN_WORDS_SCREEN_REPLY)
        reply = self.visitor.answers.get(slot)
        if reply is None:
            return Message(f"not_sure:{slot}", NOT_SURE)
        return Message(f"answer:{slot}", reply)


def carries(source: str, said_in: str) -> bool:
    """Whether a message from ``source`` is the one a visitor's red flag is ``said_in``."""
    if said_in == "opener":
        return source == "opener"
    if said_in in ("extra", "followup"):
        return source.startswith(f"{said_in}:")
    return source == f"answer:{said_in}"
