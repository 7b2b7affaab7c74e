"""Closed-loop load: N visitors, each playing whole conversations from the mix until time is up."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bench.conversations import Script
from bench.traffic import new_session, play


@dataclass
class LevelResult:
    """Every turn's latency at one concurrency level, and how many turns per second."""

    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    conversations: int = 0
    unfinished: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    think_s: float = 0.0

    @property
    def messages(self) -> int:
        return len(self.latencies_ms)

    @property
    def msgs_per_s(self) -> float:
        return self.messages / self.elapsed_s if self.elapsed_s else 0.0


async def run_level(
    servers: Sequence[str],
    scripts: Iterator[Script],
    concurrency: int,
    duration_s: float,
    min_conversations: int = 1,
    think_s: float = 0.0,
) -> LevelResult:
    """Keep ``concurrency`` conversations going for ``duration_s`` (started ones finish).

    With ``think_s`` 0 every visitor sends its next message as soon as the answer comes
    (the capacity); with a think time the load is what that many visitors would send.
    """
    result = LevelResult(concurrency, think_s=think_s)
    counter = itertools.count()
    started = time.perf_counter()
    deadline = started + duration_s
    run = uuid.uuid4().hex[:8]

    async def visitor(session, index: int) -> None:
        if think_s:  # spread the first messages over one pause, as arrivals would be
            await asyncio.sleep(index * think_s / concurrency)
        while True:
            number = next(counter)
            if time.perf_counter() > deadline and number >= min_conversations:
                return
            script = next(scripts)
            sender = f"bench-{run}-{concurrency}-{number}"
            played = await play(
                session, servers, sender, script.name, script.steps, number, think_s
            )
            result.latencies_ms.extend(played.latencies_ms)
            result.conversations += 1
            if played.error:
                result.errors.append(played.error)
                continue
            final = played.replies[-1] if played.replies else []
            last = " ".join(reply.get("text") or "" for reply in final)
            if script.done_text.lower() not in last.lower():
                result.unfinished += 1

    async with new_session(concurrency) as session:
        await asyncio.gather(*[visitor(session, index) for index in range(concurrency)])
    result.elapsed_s = time.perf_counter() - started
    return result


async def warm_up(servers: Sequence[str], scripts: Sequence[Script]) -> None:
    """One conversation of each script, so first-call costs stay out of the figures."""
    async with new_session(1) as session:
        for number, script in enumerate(scripts):
            await play(session, servers, f"warmup-{uuid.uuid4().hex[:8]}", script.name,
                       script.steps, number)  # fmt: skip
