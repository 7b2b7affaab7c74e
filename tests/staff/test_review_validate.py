"""The exported NLU file passes `rasa data validate --fail-on-warnings` next to data/,
empty (nothing reviewed yet) or with scrubbed examples; the repository's data/ is left
alone (a copy is validated)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.review.nlu_file import REVIEWED_NAME, one_line, render
from bot.review.scrub import scrub

ROOT = Path(__file__).resolve().parents[2]


def validate(data: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
               "--quiet", "--data", str(data), "--domain", str(ROOT / "domain.yml"),
               "--config", str(ROOT / "config.yml")]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for path in (ROOT / "data").glob("*.yml"):
        if path.name != REVIEWED_NAME:
            shutil.copy(path, target / path.name)
    return target


@pytest.mark.parametrize(
    "examples",
    [
        {},
        {
            "inform": [
                one_line(scrub("my name is Sarah and it zings down my leg, 780-555-0142").text),
                one_line(scrub("[x](y) pain since T5K 2J1 move").text),
            ],
            "request_callback": [one_line(scrub("call me back at 587.555.0100 ext 4").text)],
        },
    ],
    ids=["empty", "scrubbed examples"],
)
def test_rasa_validates_the_exported_file(data_copy, examples):
    (data_copy / REVIEWED_NAME).write_text(render(examples), encoding="utf-8")
    done = validate(data_copy)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_broken_file_fails_validation(data_copy):
    """The check above can fail: an intent the domain does not know is refused."""
    (data_copy / REVIEWED_NAME).write_text(render({"tap_dance": ["shuffle"]}), encoding="utf-8")
    assert validate(data_copy).returncode != 0
