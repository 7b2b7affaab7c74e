"""Render metrics and outcomes as a text report or as JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from .judge import Outcome
from .metrics import Metrics


def text_report(
    metrics: Metrics,
    outcomes: Sequence[Outcome],
    min_accuracy: float,
    problems: Sequence[str],
    intent_lines: Sequence[str] = (),
) -> str:
    """The report printed by ``python -m bot.evaluation`` (``intent_lines``: NLU scores)."""
    m = metrics
    d = m.duration
    if d.compared:
        duration = f"mean {d.mean:.1f}, max {d.max:.1f} over {d.compared} conversations"
    else:
        duration = "no conversation to compare"
    if m.expected_emergencies:
        recall = f"{m.emergency_recall:.1%} ({m.caught_emergencies}/{m.expected_emergencies})"
    else:
        recall = "n/a (no emergency expected)"
    lines = [
        f"conversations                {m.conversations}",
        f"triage accuracy              {m.accuracy:.1%} ({m.correct}/{m.conversations}),"
        f" minimum {min_accuracy:.1%}",
        f"emergency recall             {recall}, required 100%",
        f"over-triage                  {m.over_triage} (emergency predicted, not expected),"
        f" {m.over_triage_rate:.1%} of the others",
        f"red flags in own words       {_share(m.own_words_caught, m.own_words_expected)}"
        " (caught from a message that was not a safety-question answer)",
        f"out-of-scope recall          {_share(m.out_of_scope_caught, m.out_of_scope_expected)}",
        f"under-triage                 {m.under_triage} (emergency expected, not predicted)",
        f"duration error (days)        {duration}; {d.missing} without a stored duration",
        f"booking link after red flag  {m.booking_after_flag} conversations (must be 0)",
        f"HTTP errors                  {m.errors}",
        f"unfinished (no result)       {m.unfinished}",
        *intent_lines,
        "",
        "confusion (rows: expected, columns: predicted)",
        *confusion_lines(m.confusion),
    ]
    failed = [o for o in outcomes if o.failed]
    if failed:
        lines += ["", f"failures ({len(failed)})"]
        for outcome in failed:
            lines += ["", _failure_title(outcome), *outcome.transcript]
    lines += ["", "PASS" if not problems else "FAIL: " + "; ".join(problems)]
    return "\n".join(lines)


def confusion_lines(table: dict[str, dict[str, int]]) -> list[str]:
    """A fixed-width table; zeros shown as '.' so the diagonal stands out."""
    if not table:
        return []
    columns = list(next(iter(table.values())))
    first = max(len("expected"), *(len(row) for row in table))
    widths = [max(len(c), 4) for c in columns]
    header = "expected".ljust(first) + "".join(
        f" {c:>{w}}" for c, w in zip(columns, widths, strict=False)
    )
    lines = [header]
    for row, counts in table.items():
        cells = "".join(f" {counts[c] or '.':>{w}}" for c, w in zip(columns, widths, strict=False))
        lines.append(row.ljust(first) + cells + f"   ({sum(counts.values())})")
    return lines


def json_report(
    metrics: Metrics, outcomes: Sequence[Outcome], problems: Sequence[str]
) -> dict[str, Any]:
    """Everything in the text report, machine-readable."""
    return {
        "passed": not problems,
        "problems": list(problems),
        "metrics": {
            **dataclasses.asdict(metrics),
            "own_words_recall": metrics.own_words_recall,
            "out_of_scope_recall": metrics.out_of_scope_recall,
            "over_triage_rate": metrics.over_triage_rate,
        },
        "conversations": [
            {
                **dataclasses.asdict(outcome),
                "correct": outcome.correct,
                "booking_after_flag": outcome.booking_after_flag,
            }
            for outcome in outcomes
        ],
    }


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "n/a"


def _failure_title(outcome: Outcome) -> str:
    reasons = []
    if not outcome.correct:
        reasons.append(f"expected {outcome.expected}, got {outcome.predicted or 'no result'}")
    if outcome.booking_after_flag:
        reasons.append(
            f"booking link at turn {outcome.booking_turn} after a red flag at turn "
            f"{outcome.flag_turn}"
        )
    if outcome.error:
        reasons.append("HTTP error")
    if outcome.own_words is False:
        reasons.append("red flag not caught in the visitor's own words")
    return f"--- {outcome.visitor_id}: " + "; ".join(reasons)
