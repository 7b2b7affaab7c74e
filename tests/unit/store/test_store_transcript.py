"""Transcripts as staff read them, and their CSV / JSON exports (pure)."""

from __future__ import annotations

import csv
import io
import json

from bot.store import export, transcript
from bot.store.seed import Built, by_sender
from bot.triage import Thresholds
from tests.support.staff import as_events, real_rows

REAL = {sender: as_events(rows) for sender, rows in by_sender(real_rows()).items()}


def test_the_assessment_shows_the_reasons_given_and_todays_rules():
    t = transcript.build(REAL["visitor-emergency"])
    v = t.verdict
    assert (v.result, v.urgency) == ("emergency", "emergency")
    assert v.red_flags == ["bladder_dysfunction", "saddle_numbness"]
    assert "controlling your bladder" in v.red_flag_labels[0]
    assert v.reasons_given and v.reasons_given[0].startswith("Red flags:")
    assert v.recomputed.category == "emergency" and v.agrees
    assert v.needs_review and not v.callback_requested


def test_the_reasons_for_a_chronic_result():
    v = transcript.build(REAL["visitor-chronic"]).verdict
    assert v.result == "chronic"
    assert any("chronic" in reason for reason in v.reasons_given)
    assert v.recomputed.category == "chronic"


def test_a_change_in_thresholds_shows_as_a_disagreement():
    strict = Thresholds(acute_below_days=7, chronic_above_days=400)
    v = transcript.build(REAL["visitor-chronic"], thresholds=strict).verdict
    assert v.recomputed.category != "chronic" and not v.agrees


def test_no_result_no_recomputation():
    t = transcript.build(as_events(Built("v", 0.0).session().user("hi", "greet").rows))
    assert t.verdict.result is None and t.verdict.recomputed is None and t.verdict.agrees
    assert transcript.build([]) is None


def test_final_slots_leave_out_requested_slot():
    slots = transcript.build(REAL["visitor-callback"]).slots
    assert "requested_slot" not in slots and slots["callback_requested"] is True


def test_transcript_csv_has_one_row_per_message_and_no_formulas():
    rows = Built("v", 0.0).session().user('=HYPERLINK("http://evil")', "inform", 0.3).rows
    t = transcript.build(as_events(rows))
    records = list(csv.DictReader(io.StringIO(export.transcript_csv(t))))
    said = [r for r in records if r["speaker"] == "visitor"]
    assert said[0]["text"].startswith("'=HYPERLINK")
    assert said[0]["low_confidence"] == "True"
    assert [r["speaker"] for r in records] == ["bot", "visitor"]


def test_transcript_json_is_complete():
    document = json.loads(export.transcript_json(transcript.build(REAL["visitor-fallback"])))
    texts = [m["text"] for m in document["messages"] if m["speaker"] == "visitor"]
    assert "<script>alert(1)</script> purple monkey dishwasher" in texts
    fallback = next(m for m in document["messages"] if m.get("fallback"))
    assert fallback["text"] == "qwerty zxcv blorp" and fallback["intent"] == "nlu_fallback"


def test_list_exports():
    rows = [
        {
            "sender_id": "v1",
            "started_at": 0.0,
            "last_at": 60.0,
            "channel": "rest",
            "turns": 3,
            "triage_result": "acute",
            "red_flags": "a,b",
            "tags": ["x", "-y"],
            "reviewed": True,
        }
    ]
    text = "".join(export.list_csv(rows))
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["started_at"] == "1970-01-01T00:00:00+00:00"
    assert record["red_flags"] == "a;b" and record["tags"] == "x;-y"
    assert json.loads("".join(export.list_json(rows)))[0]["red_flags"] == ["a", "b"]
    assert json.loads("".join(export.list_json([]))) == []
    assert export.safe_cell("-1") == "'-1" and export.safe_cell(5) == 5
