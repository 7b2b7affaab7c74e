"""Drive whole conversations over Rasa's REST channel, many at once (asyncio + aiohttp).

Each conversation sends its script's messages one after the other and records each
turn's latency. ``servers`` may name several Rasa servers: turn ``n`` of conversation ``i``
goes to server ``(i + n) % len(servers)``, so a conversation hops between servers; a
script step that is a tuple is sent all at once, one message per server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

Step = str | tuple[str, ...]
REQUEST_TIMEOUT_S = 120.0


@dataclass
class Played:
    """What happened to one conversation."""

    sender: str
    script: str
    sent: list[Step] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    replies: list[list] = field(default_factory=list)
    error: str | None = None


async def send(session: aiohttp.ClientSession, server: str, sender: str, text: str) -> list:
    """POST one message to the REST channel; the bot's replies, or raise."""
    url = f"{server}/webhooks/rest/webhook"
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        if response.status != 200:
            raise RuntimeError(f"{server} answered {response.status} to {text!r}")
        return await response.json()


async def play(
    session: aiohttp.ClientSession,
    servers: Sequence[str],
    sender: str,
    name: str,
    steps: Sequence[Step],
    offset: int = 0,
    think_s: float = 0.0,
) -> Played:
    """Play one script, pausing ``think_s`` between messages; HTTP failures end it with
    ``error`` set, they never raise."""
    played = Played(sender, name)
    for number, step in enumerate(steps):
        if number and think_s:
            await asyncio.sleep(think_s)
        messages = step if isinstance(step, tuple) else (step,)
        started = time.perf_counter()
        try:
            replies = await asyncio.gather(
                *[
                    send(session, servers[(offset + number + k) % len(servers)], sender, text)
                    for k, text in enumerate(messages)
                ]
            )
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError) as error:
            played.error = f"step {number} {step!r}: {type(error).__name__}: {error}"
            return played
        played.latencies_ms.append((time.perf_counter() - started) * 1000)
        played.sent.append(step)
        played.replies.extend(replies)
    return played


def new_session(concurrency: int) -> aiohttp.ClientSession:
    """One HTTP client for a run: enough connections for every conversation at once."""
    connector = aiohttp.TCPConnector(limit=max(1, concurrency) * 2, force_close=False)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    return aiohttp.ClientSession(connector=connector, timeout=timeout)
