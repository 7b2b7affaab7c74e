"""The blind sets, after their first sight, as a regression suite (docs/triage-eval.md).

Each set was written from docs/clinical.md alone and scored once before any change made
after reading it; since then it guards what was fixed: red flags in lay words and in
passing, assertion (denied, someone else's, a risk question, old and investigated, "both
my legs are ok"), out of scope (another body part, pregnancy, the kidney-stone pattern),
durations, and the voices (second-language English, dictation, caregivers, one-word
replies, long stories). Both visitors: the truthful one and the one whose red flag must be
caught in their own words. Every emergency must be caught, with no booking link after a
flag; accuracy may not fall below 95%.
"""

import pytest

from bot.evaluation.cli import main as evaluate

BLIND_SETS = [f"tests/eval/blind-{n}.yml" for n in (*range(1, 10), 12, 13)]


@pytest.mark.parametrize("visitors", BLIND_SETS)
def test_a_blind_set_still_passes(stack, tmp_path, visitors):
    report = tmp_path / "eval.json"
    status = evaluate(
        ["--rasa-url", stack.rasa_url, "--token", stack.token, "--visitors", visitors]
        + ["--mode", "truthful", "--mode", "own_words", "--min-accuracy", "0.95"]
        + ["--json", str(report)]
    )
    assert status == 0, report.read_text(encoding="utf-8")[:20000]
