"""The benchmark's own parts: percentiles, process names, the report's shape, the mix."""

import os

from bench.conversations import MIX, first, turns_per_conversation
from bench.load import LevelResult
from bench.processes import label, peak_rss_mb, rasa_peak_mb
from bench.report import percentile, profile_entry, table
from bench.training import fingerprint


def test_nearest_rank_percentiles():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile([], 50) == 0.0


def test_the_report_has_the_documented_keys():
    levels = {}
    for level in (1, 10, 50):
        result = LevelResult(level, latencies_ms=[40.0, 50.0, 60.0], elapsed_s=1.5)
        levels[level] = result
    entry = profile_entry(levels, {"rasa": 900.0, "actions": 80.0}, 900.0, 31.0)
    assert {"p50_ms", "p95_ms", "p99_ms", "msgs_per_s", "peak_rss_mb", "startup_s"} <= set(entry)
    assert entry["msgs_per_s"] == {"1": 2.0, "10": 2.0, "50": 2.0}
    assert entry["p50_ms"] == 50.0
    text = table({"embedded": entry}, 300.0)
    assert "| embedded | 50 |" in text and "training" in text


def test_processes_are_named_after_what_they_run():
    assert label(["python", "-m", "rasa", "run", "--port", "5005"]) == "rasa"
    assert label(["python", "-m", "bot.rasa_ext.rasa_server", "run"]) == "rasa"
    assert label(["python", "-m", "rasa_sdk", "--actions", "actions"]) == "actions"
    assert label(["python", "-m", "bot.web"]) == "web"
    assert label(["python", "-m", "bot.runtime.stack"]) == "stack"
    found = peak_rss_mb([os.getpid()])
    assert len(found) == 1 and list(found.values())[0] > 10
    assert rasa_peak_mb({"rasa": 500.0, "rasa worker": 900.0, "web": 1000.0}) == 900.0


def test_the_mix_is_whole_conversations_and_reproducible():
    assert {script.name for script in MIX} >= {"acute", "chronic", "sciatica", "red_flag"}
    assert first(20) == first(20)
    assert 5 < turns_per_conversation() < 8


def test_the_training_fingerprint_follows_the_training_inputs():
    assert fingerprint() == fingerprint()
    assert len(fingerprint()) == 16
