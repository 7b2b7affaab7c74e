"""Around every visitor message, on every channel: clean it, bound it, and never leave silence.

Every input channel (REST, the widget's socket.io, Messenger, Telegram, Twilio) hands its
text to one :class:`MessageGuard`:

* :meth:`MessageGuard.handle` first refuses a message over the pace limit (20 in 10 s per
  conversation, 60 in 10 s per client address where the channel knows it, loopback
  excepted: a local tool, or a proxy Sanic was not told to trust), then cleans
  the text (control characters, invalid UTF-8 that arrived as lone surrogates,
  surrounding blanks; only the first 4,000 characters are read) and cuts it at
  ``MAX_MESSAGE_CHARS`` (2,000) with a polite notice; an empty or refused message is
  answered here and not passed to Rasa;
* :meth:`MessageGuard.answer` runs Rasa on it and makes sure the visitor hears something
  within ``BACKCHAT_REPLY_DEADLINE_S`` (4.5 s): if Rasa fails (a store down) or says
  nothing (an action server down), the visitor gets an apology with the clinic's phone and
  the emergency number; if it is still busy (an action server hung, or an overload), a
  "taking longer than it should" notice with the same numbers. A late turn is not
  cancelled: it goes on in the background, its events reach the tracker store, and on the
  widget its replies still arrive (a REST response has already been sent by then).

Log lines name the conversation, never the text.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.runtime.env import env_float

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
RAW_READ_FACTOR = 2  # characters read before cleaning, per character kept
REPLY_DEADLINE_ENV = "BACKCHAT_REPLY_DEADLINE_S"
DEFAULT_REPLY_DEADLINE_S = 4.5
PACE_MESSAGES, PACE_WINDOW_S = 20, 10.0  # a fast clicker answers a dozen buttons in 10 s
# Per client address (REST, socket.io): a few visitors behind one address (an office, a
# phone carrier's NAT) each at a clicker's pace; a caller making up new conversation ids
# still meets it.
ADDRESS_PACE_MESSAGES = 60
REMEMBERED_SENDERS = 10_000
KEPT_CONTROL_CHARACTERS = "\n\t"


@dataclass(frozen=True)
class VisitorText:
    """A visitor's text after cleaning; ``was_cut`` if it was longer than the limit."""

    text: str
    was_cut: bool = False


def clean_text(raw: str, limit: int = MAX_MESSAGE_CHARS) -> VisitorText:
    """Drop control and format characters and lone surrogates, trim, cut at ``limit``.

    Only the first ``RAW_READ_FACTOR * limit`` characters are read: a 1 MB message costs
    what a 4,000-character one does.
    """
    bound = RAW_READ_FACTOR * limit
    raw_cut = len(raw) > bound
    kept = "".join(
        char
        for char in str.__getitem__(raw, slice(0, bound))
        if char in KEPT_CONTROL_CHARACTERS
        or unicodedata.category(char) not in ("Cc", "Cs", "Cf")
        or char == "\u200d"  # the joiner inside emoji sequences
    ).strip()
    if len(kept) <= limit and not raw_cut:
        return VisitorText(kept)
    return VisitorText(kept[:limit].rstrip(), was_cut=True)


@dataclass(frozen=True)
class Notices:
    """What the bot says when it answers a message itself instead of Rasa."""

    phone: str
    emergency_number: str
    limit: int = MAX_MESSAGE_CHARS

    @classmethod
    def from_clinic(cls) -> Notices:
        """The clinic's numbers from clinic.yml (``BACKCHAT_CLINIC_FILE``)."""
        from bot.clinic import load_clinic

        clinic = load_clinic()
        return cls(phone=clinic.phone, emergency_number=clinic.emergency_number)

    @property
    def empty(self) -> str:
        return "I didn't receive any text. Please type your question in a few words."

    @property
    def cut(self) -> str:
        return (
            f"Your message was very long, so I read only its first {self.limit:,} "
            "characters. If I missed something important, please send it in a shorter message."
        )

    @property
    def too_fast(self) -> str:
        return (
            "You're sending messages faster than I can read them. Please wait a few "
            "seconds, then send your last message again."
        )

    @property
    def still_working(self) -> str:
        return (
            "Sorry, this is taking longer than it should. If no answer comes in a minute, "
            f"please call the clinic at {self.phone}. "
            f"If this is an emergency, call {self.emergency_number} now."
        )

    @property
    def apology(self) -> str:
        return (
            "Sorry, I'm having a technical problem and can't answer properly right now. "
            f"Please try again in a minute or call the clinic at {self.phone}. "
            f"If this is an emergency, call {self.emergency_number} now."
        )


def is_loopback(address: str) -> bool:
    """127.0.0.0/8 or ::1: a process on this machine (the operator's tools, a proxy on
    the same host that Sanic was not told to trust), not one visitor."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class PaceLimit:
    """At most ``messages`` per ``window_s`` seconds per conversation (in this process)."""

    def __init__(
        self,
        messages: int = PACE_MESSAGES,
        window_s: float = PACE_WINDOW_S,
        senders: int = REMEMBERED_SENDERS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.messages = messages
        self.window_s = window_s
        self.senders = senders
        self.clock = clock
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, sender: str) -> bool:
        """Count one message of ``sender``; False if it is over the limit."""
        now = self.clock()
        times = self._times.pop(sender, None) or deque()
        while times and now - times[0] >= self.window_s:
            times.popleft()
        allowed = len(times) < self.messages
        if allowed:
            times.append(now)
        self._times[sender] = times
        while len(self._times) > self.senders:
            self._times.popitem(last=False)
        return allowed


class CountingOutput(OutputChannel):
    """Passes every reply on to the channel's own output, counting them.

    Rasa sends everything through ``send_response``; the other methods are for code that
    calls the output directly.
    """

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # Rasa's NLG picks responses by channel
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.inner.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.inner.send_custom_json(recipient_id, json_message, **kwargs)


class Outcome(str, Enum):
    """How a turn ended for the visitor."""

    ANSWERED = "answered"  # Rasa replied in time
    SILENT = "silent"  # Rasa finished without a word (e.g. the action server is down)
    LATE = "late"  # Rasa was still busy at the deadline; it goes on in the background
    FAILED = "failed"  # Rasa raised (e.g. the lock store or the database is down)
    EMPTY = "empty"  # nothing to pass on; the visitor was asked to type something
    REFUSED = "refused"  # over the pace limit; the visitor was asked to wait and resend


def reply_deadline_s(env: dict[str, str] | None = None) -> float:
    """``BACKCHAT_REPLY_DEADLINE_S`` (0.5 to 60), else 4.5 s."""
    env = os.environ if env is None else env
    return env_float(env, REPLY_DEADLINE_ENV, DEFAULT_REPLY_DEADLINE_S, 0.5, 60.0)


class MessageGuard:
    """One per channel; :meth:`handle` each visitor message."""

    def __init__(
        self,
        notices: Notices | None = None,
        limit: int = MAX_MESSAGE_CHARS,
        deadline_s: float | None = None,
        pace: PaceLimit | None = None,
        address_pace: PaceLimit | None = None,
    ):
        self._notices = notices
        self.limit = limit
        self.deadline_s = reply_deadline_s() if deadline_s is None else deadline_s
        self.pace = pace or PaceLimit()
        self.address_pace = address_pace or PaceLimit(messages=ADDRESS_PACE_MESSAGES)
        self._background: set = set()

    @property
    def notices(self) -> Notices:
        if self._notices is None:
            self._notices = Notices.from_clinic()
        return self._notices

    async def handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: UserMessage,
        address: str | None = None,
    ) -> Outcome:
        """Pace, then clean and bound ``message.text``, then :meth:`answer` it.

        ``address`` is the client's address where the channel knows it (REST, socket.io):
        it has a pace limit of its own, whatever conversation ids it names.
        """
        sender, output = message.sender_id, message.output_channel
        over = not self.pace.allow(sender)
        if not over and address is not None and not is_loopback(address):
            over = not self.address_pace.allow(address)
        if over:
            logger.warning("Conversation %s is over the pace limit; message refused.", sender)
            await output.send_text_message(sender, self.notices.too_fast)
            return Outcome.REFUSED
        cleaned = clean_text(message.text or "", self.limit)
        if not cleaned.text:
            await output.send_text_message(sender, self.notices.empty)
            return Outcome.EMPTY
        if cleaned.was_cut:
            await output.send_text_message(sender, self.notices.cut)
        message.text = cleaned.text
        return await self.answer(on_new_message, message)

    async def answer(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
    ) -> Outcome:
        """Let Rasa handle ``message``; apologise if it fails, stays silent or is late."""
        output = message.output_channel
        counting = CountingOutput(output)
        message.output_channel = counting
        turn = asyncio.ensure_future(on_new_message(message))
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.deadline_s)
        except asyncio.TimeoutError:
            logger.warning(
                "No reply for conversation %s within %.1f s; apologised, still working on it.",
                message.sender_id,
                self.deadline_s,
            )
            self._background.add(turn)
            turn.add_done_callback(self._finished_late)
            outcome = Outcome.LATE
        except Exception:
            logger.exception("Handling a message of conversation %s failed.", message.sender_id)
            outcome = Outcome.FAILED
        else:
            if counting.sent:
                return Outcome.ANSWERED
            logger.warning("Rasa said nothing to conversation %s; apologised.", message.sender_id)
            outcome = Outcome.SILENT
        notice = self.notices.still_working if outcome is Outcome.LATE else self.notices.apology
        try:
            await output.send_text_message(message.sender_id, notice)
        except Exception:  # the platform itself is unreachable: nothing more to try
            logger.exception("The apology to conversation %s could not be sent.", message.sender_id)
        return outcome

    def _finished_late(self, turn: asyncio.Future) -> None:
        self._background.discard(turn)
        if turn.cancelled():
            return
        error = turn.exception()
        if error is not None:
            logger.error("A late turn failed: %r", error)
