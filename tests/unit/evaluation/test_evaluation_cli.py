"""``python -m bot.evaluation`` end to end against a fake Rasa server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.evaluation.cli import default_booking_link, main
from tests.support.fake_rasa import FakeRasa
from tests.support.servers import free_port

VISITORS = {
    "visitors": [
        {
            "id": "acute-1",
            "opener": "my back hurts",
            "answers": {"pain_location": "lower back", "pain_duration_days": "3 weeks"},
            "expected": "acute",
            "expected_days": 21,
        },
        {
            "id": "chronic-1",
            "opener": "hi",
            "followups": ["lower back pain"],
            "answers": {"pain_location": "lower back", "pain_duration_days": "5 months"},
            "expected": "chronic",
            "expected_days": 150,
        },
        {
            "id": "emergency-1",
            "opener": "my lower back hurts",
            "answers": {"pain_location": "back, and i cant pee", "pain_duration_days": "2 days"},
            "expected": "emergency",
            "red_flag": {"id": "bladder_dysfunction", "said_in": "pain_location"},
        },
    ]
}


@pytest.fixture
def visitors_file(tmp_path):
    path = tmp_path / "visitors.yml"
    path.write_text(yaml.safe_dump(VISITORS), encoding="utf-8")
    return path


def run(fake, visitors_file, *more):
    return main(
        ["--rasa-url", fake.url, "--token", "secret", "--visitors", str(visitors_file), *more]
    )


def test_a_good_run_passes_and_writes_json(visitors_file, tmp_path, capsys):
    out = tmp_path / "out" / "report.json"
    with FakeRasa() as fake:
        assert run(fake, visitors_file, "--json", str(out), "--workers", "2") == 0
    printed = capsys.readouterr().out
    assert "conversations                3" in printed
    assert "emergency recall             100.0% (1/1)" in printed
    assert printed.rstrip().endswith("PASS")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["passed"] is True
    assert report["metrics"]["duration"]["mean"] == 0


def test_a_missed_emergency_fails(visitors_file, capsys):
    with FakeRasa(red_flag_words={}) as fake:
        assert run(fake, visitors_file) == 1
    printed = capsys.readouterr().out
    assert "under-triage                 1" in printed
    assert "--- emergency-1: expected emergency, got acute" in printed
    assert "visitor [answer:pain_location]: back, and i cant pee" in printed


def test_a_booking_link_after_a_red_flag_fails(visitors_file, capsys):
    with FakeRasa(booking_after_emergency=True) as fake:
        assert run(fake, visitors_file, "--only", "emergency-1") == 1
    assert "booking link offered after a red flag" in capsys.readouterr().out


def test_min_accuracy_and_limit(visitors_file, capsys):
    wrong = {"visitors": [dict(VISITORS["visitors"][0], expected="subacute")]}
    visitors_file.write_text(yaml.safe_dump(wrong), encoding="utf-8")
    with FakeRasa() as fake:
        assert run(fake, visitors_file) == 1
        assert run(fake, visitors_file, "--min-accuracy", "0", "--limit", "1") == 0
    assert "triage accuracy 0.0% < 95.0%" in capsys.readouterr().out


def test_setup_problems_exit_2(visitors_file, tmp_path, capsys):
    port = free_port()  # nothing listens there
    assert main(["--rasa-url", f"http://127.0.0.1:{port}", "--visitors", str(visitors_file)]) == 2
    assert "cannot reach Rasa" in capsys.readouterr().err
    with FakeRasa() as fake:
        assert run(fake, visitors_file, "--only", "nobody") == 2
        assert (
            main(["--rasa-url", fake.url, "--token", "bad", "--visitors", str(visitors_file)]) == 2
        )
    assert "HTTP 401" in capsys.readouterr().err
    bad = tmp_path / "bad.yml"
    bad.write_text("visitors: [{id: x}]", encoding="utf-8")
    assert main(["--visitors", str(bad)]) == 2
    with pytest.raises(SystemExit):
        main(["--workers", "0"])


def test_default_booking_link_comes_from_clinic_yml(tmp_path, monkeypatch):
    assert "example-clinic.ca/book" in default_booking_link()
    repository_copy = Path(__file__).resolve().parents[3] / "clinic.yml"
    clinic = tmp_path / "clinic.yml"
    clinic.write_text(
        repository_copy.read_text(encoding="utf-8").replace(
            "https://example-clinic.ca/book", "https://other.example/reserve"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("BACKCHAT_CLINIC_FILE", str(clinic))
    assert default_booking_link() == "https://other.example/reserve"


def test_runs_as_a_module():
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-m", "bot.evaluation", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "--rasa-url" in done.stdout and "--min-accuracy" in done.stdout
