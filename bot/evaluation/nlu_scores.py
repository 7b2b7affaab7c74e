"""Intent scores from a ``rasa test nlu`` report (``intent_report.json``), for the eval report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MIN_MACRO_F1 = 0.95
SUMMARY_KEYS = ("accuracy", "macro avg", "weighted avg", "micro avg")


@dataclass(frozen=True)
class IntentScores:
    """Macro and weighted F1, accuracy and the weakest intents of one evaluation."""

    label: str
    macro_f1: float
    weighted_f1: float
    accuracy: float
    examples: int
    weakest: tuple[tuple[str, float], ...]
    target: bool = True  # False: reported only (cross-validation, issue 16)


def read_intent_report(
    path: Path, label: str, weakest: int = 3, target: bool = True
) -> IntentScores:
    """Reads Rasa's ``intent_report.json``; ValueError if it is not one. ``target``: whether
    its macro-F1 must reach ``MIN_MACRO_F1`` (else it is only reported)."""
    try:
        report = json.loads(Path(path).read_text("utf-8"))
        per_intent = {k: v for k, v in report.items() if k not in SUMMARY_KEYS}
        ranked = sorted((v["f1-score"], k) for k, v in per_intent.items())
        accuracy = report.get("accuracy", report.get("micro avg", {}).get("f1-score"))
        return IntentScores(
            label=label,
            macro_f1=float(report["macro avg"]["f1-score"]),
            weighted_f1=float(report["weighted avg"]["f1-score"]),
            accuracy=float(accuracy),
            examples=int(report["macro avg"]["support"]),
            weakest=tuple((name, float(f1)) for f1, name in ranked[:weakest]),
            target=target,
        )
    except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path}: not a rasa intent report ({error})") from error


def score_lines(scores: list[IntentScores]) -> list[str]:
    """Lines for the text report."""
    lines = []
    for s in scores:
        weak = ", ".join(f"{name} {f1:.2f}" for name, f1 in s.weakest)
        goal = f"minimum {MIN_MACRO_F1}" if s.target else "reported, not a target"
        lines.append(
            f"intent macro-F1, {s.label:<11s}{s.macro_f1:.3f} (weighted {s.weighted_f1:.3f},"
            f" accuracy {s.accuracy:.1%}, {s.examples} messages; {goal}); weakest: {weak}"
        )
    return lines


def score_problems(scores: list[IntentScores]) -> list[str]:
    """A problem for each evaluation below the intent macro-F1 target."""
    return [
        f"intent macro-F1 ({s.label}) {s.macro_f1:.3f} < {MIN_MACRO_F1}"
        for s in scores
        if s.target and s.macro_f1 < MIN_MACRO_F1
    ]
