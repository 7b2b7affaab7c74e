"""Write Rasa-shaped events: copies of recorded conversations, or built ones.

For tests and the benchmark (bench/staff_bench.py): rows have the shape
SQLTrackerStore writes, so the read model sees what it sees in production.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .events import events_table

BATCH = 5000


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows saved one JSON object a line (``data`` decoded)."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def by_sender(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["sender_id"], []).append(row)
    return grouped


def clone(rows: Sequence[dict[str, Any]], sender_id: str, start: float) -> list[dict[str, Any]]:
    """The same conversation for another sender, moved to begin at ``start``."""
    shift = start - rows[0]["timestamp"]
    out = []
    for row in rows:
        data = dict(row["data"])
        data["timestamp"] = row["timestamp"] + shift
        out.append({**row, "sender_id": sender_id, "timestamp": data["timestamp"], "data": data})
    return out


def ensure_events_table(engine: Engine) -> sa.Table:
    """Rasa's events table, created if it does not exist yet (as Rasa would)."""
    table = events_table(sa.MetaData())
    table.create(engine, checkfirst=True)
    return table


def insert(conn: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (``data`` as dict or text) in batches; returns how many."""
    batch: list[dict[str, Any]] = []
    total = 0
    for row in rows:
        data = row["data"]
        batch.append({**row, "data": data if isinstance(data, str) else json.dumps(data)})
        if len(batch) >= BATCH:
            conn.execute(table.insert(), batch)
            total += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        total += len(batch)
    return total


@dataclass
class Built:
    """A conversation built event by event, the way Rasa records one."""

    sender_id: str
    start: float
    channel: str = "rest"
    rows: list[dict[str, Any]] = field(default_factory=list)
    clock: float = 0.0

    def _add(self, type_name: str, data: dict[str, Any], **columns: Any) -> Built:
        self.clock += 1.5
        at = self.start + self.clock
        data = {"event": type_name, "timestamp": at, **data}
        self.rows.append(
            {
                "sender_id": self.sender_id,
                "type_name": type_name,
                "timestamp": at,
                "intent_name": columns.get("intent_name"),
                "action_name": columns.get("action_name"),
                "data": data,
            }
        )
        return self

    def session(self) -> Built:
        self.action("action_session_start")
        self.bot("Hi, I'm BackChat.", "utter_welcome")
        self._add("session_started", {})
        return self.action("action_listen")

    def user(
        self, text: str, intent: str, confidence: float = 0.98, entities: list | None = None
    ) -> Built:
        parse = {
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "text": text,
        }
        return self._add(
            "user",
            {"text": text, "parse_data": parse, "input_channel": self.channel},
            intent_name=intent,
        )

    def slot(self, name: str, value: Any) -> Built:
        return self._add("slot", {"name": name, "value": value}, action_name=name)

    def action(self, name: str) -> Built:
        return self._add("action", {"name": name, "policy": "RulePolicy"}, action_name=name)

    def loop(self, name: str | None) -> Built:
        """A form starting (its name) or ending (None)."""
        return self._add("active_loop", {"name": name})

    def bot(self, text: str, response: str | None = None, **metadata: Any) -> Built:
        meta = {"utter_action": response, **metadata} if response else metadata
        return self._add("bot", {"text": text, "metadata": meta})
