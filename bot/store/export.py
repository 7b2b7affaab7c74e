"""CSV and JSON renderings of conversation lists and transcripts, produced in chunks.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a tab) are
prefixed with an apostrophe: visitors' words must not become formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from .transcript import Transcript

LIST_FIELDS = [
    "sender_id", "started_at", "last_at", "channel", "turns", "fallbacks", "low_confidence",
    "triage_result", "urgency", "red_flag", "red_flags", "needs_review", "callback_requested",
    "reached_booking", "reviewed", "reviewed_by", "tags",
]  # fmt: skip
TRANSCRIPT_FIELDS = [
    "sender_id", "turn", "time", "speaker", "text", "intent", "confidence", "low_confidence",
    "fallback", "entities", "slots_set", "actions",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso(ts: Any) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(float(ts), timezone.utc).isoformat(timespec="seconds")


def safe_cell(value: Any) -> Any:
    """A value that a spreadsheet shows as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(v) for v in values])
    return buffer.getvalue()


def list_record(row: dict[str, Any]) -> dict[str, Any]:
    """A summary row as exported (times in ISO 8601 UTC)."""
    record = {name: row.get(name) for name in LIST_FIELDS}
    record["started_at"] = iso(row.get("started_at"))
    record["last_at"] = iso(row.get("last_at"))
    record["red_flags"] = [f for f in (row.get("red_flags") or "").split(",") if f]
    return record


def list_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield _csv_line(LIST_FIELDS)
    for row in rows:
        record = list_record(row)
        record["red_flags"] = ";".join(record["red_flags"])
        record["tags"] = ";".join(record["tags"] or [])
        yield _csv_line([record[name] for name in LIST_FIELDS])


def list_json(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one conversation per line."""
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(list_record(row), ensure_ascii=False)
    yield "\n]\n"


def transcript_records(t: Transcript) -> Iterator[dict[str, Any]]:
    """One record per visitor message and per bot message, in order."""
    for turn in t.turns:
        common = {"sender_id": t.sender_id, "turn": turn.index}
        if turn.is_visitor:
            yield {
                **common,
                "time": iso(turn.at),
                "speaker": "visitor",
                "text": turn.text,
                "intent": turn.intent,
                "confidence": turn.confidence,
                "low_confidence": turn.low_confidence,
                "fallback": turn.fallback,
                "entities": [
                    {"entity": e.get("entity"), "value": e.get("value"), "role": e.get("role")}
                    for e in turn.entities
                ],
                "slots_set": dict(turn.slots),
                "actions": list(turn.actions),
            }
        for message in turn.bot:
            yield {**common, "time": iso(turn.at), "speaker": "bot", "text": message["text"]}


def transcript_json(t: Transcript) -> str:
    v = t.verdict
    document = {
        "sender_id": t.sender_id,
        "started_at": iso(t.started_at),
        "channels": t.channels,
        "assessment": {
            "triage_result": v.result,
            "urgency": v.urgency,
            "red_flags": v.red_flags,
            "reasons_given": v.reasons_given,
            "recomputed": None
            if v.recomputed is None
            else {"category": v.recomputed.category, "reasons": list(v.recomputed.reasons)},
        },
        "slots": t.slots,
        "messages": list(transcript_records(t)),
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=str)


def transcript_csv(t: Transcript) -> str:
    lines = [_csv_line(TRANSCRIPT_FIELDS)]
    for record in transcript_records(t):
        values = []
        for name in TRANSCRIPT_FIELDS:
            value = record.get(name)
            if isinstance(value, (list, dict)):
                value = json.dumps(value, ensure_ascii=False, default=str) if value else ""
            values.append(value)
        lines.append(_csv_line(values))
    return "".join(lines)
