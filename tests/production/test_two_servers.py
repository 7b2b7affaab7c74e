"""Two Rasa servers, one PostgreSQL, one Redis: 200 conversations at once, none mixed up.

Every conversation's messages alternate between the two servers, and every fourth sends
two of its answers at the same moment, one to each server. Afterwards, in PostgreSQL,
each conversation must hold every message sent, in order, each followed by the bot's
whole turn (ending with ``action_listen``) before the next message: none lost, none
interleaved.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.conversations import first
from bench.traffic import Step, new_session, play

CONVERSATIONS = 200
PAIR_EVERY = 4

pytestmark = pytest.mark.servers


def with_pair(steps: Sequence[str]) -> list[Step]:
    """The last two consecutive "no" answers sent together, if the script has them."""
    steps = list(steps)
    for index in range(len(steps) - 2, -1, -1):
        if steps[index] == steps[index + 1] == "no":
            return steps[:index] + [("no", "no")] + steps[index + 2 :]
    return steps


def scripts() -> list[tuple]:
    """(sender, script, steps) for every conversation of the run."""
    run = time.strftime("%H%M%S")
    chosen = []
    for number, script in enumerate(first(CONVERSATIONS, seed=11)):
        steps = with_pair(script.steps) if number % PAIR_EVERY == 0 else list(script.steps)
        chosen.append((f"two-servers-{run}-{number:03d}", script, steps))
    return chosen


async def drive(urls: list[str], chosen: list[tuple]):
    async with new_session(CONVERSATIONS) as session:
        return await asyncio.gather(
            *[
                play(session, urls, sender, script.name, steps, offset=number)
                for number, (sender, script, steps) in enumerate(chosen)
            ]
        )


def stored_events(database_url: str, senders: Sequence[str]) -> dict[str, list[dict]]:
    engine = sa.create_engine(database_url)
    query = sa.text(
        "SELECT id, sender_id, type_name, timestamp, data FROM events "
        "WHERE sender_id = ANY(:senders) ORDER BY id"
    )
    found: dict[str, list[dict]] = defaultdict(list)
    with engine.connect() as connection:
        for row in connection.execute(query, {"senders": list(senders)}):
            found[row.sender_id].append({"id": row.id, **json.loads(row.data)})
    engine.dispose()
    return found


def turn_problems(events: list[dict]) -> list[str]:
    """Each user message must come after the previous turn's action_listen."""
    problems, listening = [], False
    for event in events:
        if event["event"] == "user":
            if not listening:
                problems.append(f"message {event.get('text')!r} interleaved (event {event['id']})")
            listening = False
        elif event["event"] == "action" and event.get("name") == "action_listen":
            listening = True
    if not listening:
        problems.append("the last turn did not end with action_listen")
    stamps = [event["timestamp"] for event in events]
    if stamps != sorted(stamps):
        problems.append("timestamps out of order")
    return problems


def expected_texts(steps: list[Step]) -> list[str]:
    return [text for step in steps for text in (step if isinstance(step, tuple) else (step,))]


def same_messages(stored: list[str], steps: list[Step]) -> bool:
    """Stored texts equal the sent ones; the two of a pair may come in either order."""
    position = 0
    for step in steps:
        group = list(step) if isinstance(step, tuple) else [step]
        if sorted(stored[position : position + len(group)]) != sorted(group):
            return False
        position += len(group)
    return position == len(stored)


def test_200_conversations_on_two_servers_are_complete_in_order_and_never_interleaved(
    deployment, database_url
):
    chosen = scripts()
    started = time.monotonic()
    played = asyncio.run(drive(deployment.rasa_urls, chosen))
    elapsed = time.monotonic() - started
    errors = [f"{p.sender}: {p.error}" for p in played if p.error]
    assert not errors, f"{len(errors)} conversations failed, e.g. {errors[:3]}"

    events = stored_events(database_url, [sender for sender, _, _ in chosen])
    problems = []
    for (sender, script, steps), result in zip(chosen, played, strict=False):
        stored = events.get(sender, [])
        texts = [e.get("text") for e in stored if e["event"] == "user"]
        if not same_messages(texts, steps):
            problems.append(f"{sender}: stored {texts}, sent {expected_texts(steps)}")
        problems += [f"{sender}: {problem}" for problem in turn_problems(stored)]
        final = steps[-1] if isinstance(steps[-1], tuple) else (steps[-1],)
        last = " ".join(r.get("text") or "" for rs in result.replies[-len(final) :] for r in rs)
        if script.done_text.lower() not in last.lower():
            problems.append(f"{sender} ({script.name}) did not finish: {last[:80]!r}")
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:40])

    pairs = sum(1 for _, _, steps in chosen if any(isinstance(s, tuple) for s in steps))
    messages = sum(len(expected_texts(steps)) for _, _, steps in chosen)
    print(f"\n{messages} messages ({pairs} pairs sent to both servers) in {elapsed:.0f} s")
    assert pairs >= 30


def test_no_lock_is_left_behind_in_redis(deployment, redis_url, key_prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(f"{key_prefix}:lock:*")) == []


def test_either_server_serves_the_conversation_the_other_stored(deployment):
    sender = f"handover-{time.time_ns()}"
    deployment.first.chat(sender, "my lower back hurts since last week")
    tracker = deployment.second.tracker(sender)
    assert tracker["slots"]["pain_location"] == "low_back"
    replies = deployment.second.chat(sender, "no")
    assert "numbness" in " ".join(r.get("text", "") for r in replies)


def test_the_web_app_reads_the_same_database(deployment, database_url):
    import urllib.request

    with urllib.request.urlopen(f"{deployment.first.web_url}/healthz", timeout=10) as response:
        assert response.status == 200
    environments = []
    for pid in deployment.first.pids():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"bot.web" in command:
                environments.append(Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"))
        except OSError:
            continue
    assert environments, "no web app process found"
    assert f"BACKCHAT_TRACKER_DB_URL={database_url}".encode() in environments[0]


def test_events_are_published_to_rabbitmq(deployment, rabbitmq_url):
    assert deployment.queue, "the deployment was started without the event broker"
    sender = f"broker-{time.time_ns()}"
    seen = asyncio.run(published_events(deployment, rabbitmq_url, sender))
    assert any(e.get("event") == "user" and "cost" in e.get("text", "") for e in seen), seen
    assert answered(seen)


def answered(events: list[dict]) -> bool:
    """A user event, then a bot event (the greeting of a new session comes before it)."""
    kinds = [e.get("event") for e in events]
    return "user" in kinds and "bot" in kinds[kinds.index("user") :]


async def published_events(deployment, rabbitmq_url: str, sender: str) -> list[dict]:
    """Purge the queue, send one message, read the events published for it."""
    import aio_pika

    connection = await aio_pika.connect(rabbitmq_url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(deployment.queue, durable=True, passive=True)
        await queue.purge()  # the earlier tests' events
        await asyncio.to_thread(deployment.second.chat, sender, "how much does a treatment cost?")
        seen: list[dict] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not answered(seen):
            message = await queue.get(no_ack=True, fail=False)
            if message is None:
                await asyncio.sleep(0.2)
                continue
            event = json.loads(message.body)
            if event.get("sender_id") == sender:
                seen.append(event)
        return seen
    finally:
        await connection.close()
