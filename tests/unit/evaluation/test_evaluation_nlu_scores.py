"""Intent scores read from a rasa test nlu report, printed and checked against 0.95."""

import json

import pytest

from bot.evaluation.nlu_scores import read_intent_report, score_lines, score_problems


def report(tmp_path, f1s):
    rows = {
        name: {"precision": f1, "recall": f1, "f1-score": f1, "support": 10}
        for name, f1 in f1s.items()
    }
    macro = sum(f1s.values()) / len(f1s)
    data = {
        **rows,
        "accuracy": 0.9,
        "macro avg": {"f1-score": macro, "support": 10 * len(f1s)},
        "weighted avg": {"f1-score": macro, "support": 10 * len(f1s)},
    }
    path = tmp_path / "intent_report.json"
    path.write_text(json.dumps(data))
    return path


def test_scores_name_the_weakest_intents_first(tmp_path):
    scores = read_intent_report(
        report(tmp_path, {"greet": 1.0, "faq_hours": 0.5, "inform": 0.8}), "cv"
    )
    assert scores.macro_f1 == pytest.approx(2.3 / 3)
    assert scores.accuracy == 0.9 and scores.examples == 30
    assert [name for name, _ in scores.weakest] == ["faq_hours", "inform", "greet"]
    [line] = score_lines([scores])
    assert "0.767" in line and "faq_hours 0.50" in line


def test_a_macro_f1_below_the_target_is_a_problem(tmp_path):
    low = read_intent_report(report(tmp_path, {"a": 0.9, "b": 0.9}), "held-out")
    high = read_intent_report(report(tmp_path, {"a": 1.0, "b": 0.96}), "cv")
    assert score_problems([low, high]) == ["intent macro-F1 (held-out) 0.900 < 0.95"]


@pytest.mark.parametrize("content", ["not json", "[]", '{"greet": {"f1-score": 1}}'])
def test_a_file_that_is_not_an_intent_report_is_refused(tmp_path, content):
    path = tmp_path / "r.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="not a rasa intent report"):
        read_intent_report(path, "cv")


def test_a_missing_report_is_refused(tmp_path):
    with pytest.raises(ValueError):
        read_intent_report(tmp_path / "missing.json", "cv")


def test_a_report_without_a_target_is_printed_but_never_fails(tmp_path):
    path = tmp_path / "intent_report.json"
    path.write_text(
        json.dumps(
            {
                "greet": {"f1-score": 0.5, "support": 2},
                "accuracy": 0.5,
                "macro avg": {"f1-score": 0.5, "support": 2},
                "weighted avg": {"f1-score": 0.5, "support": 2},
            }
        ),
        encoding="utf-8",
    )
    info = read_intent_report(path, "5-fold CV", target=False)
    assert score_problems([info]) == []
    assert "not a target" in score_lines([info])[0]
    assert score_problems([read_intent_report(path, "held-out 1")])
