"""Aggregate conversation outcomes into the evaluation's metrics (pure functions).

Urgency order: emergency above every other category. Over-triage: predicted emergency,
expected something else. Under-triage: expected emergency, predicted anything else
(including no result at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .judge import Outcome
from .visitors import CATEGORIES

EMERGENCY = "emergency"
NO_RESULT = "none"


@dataclass(frozen=True)
class DurationError:
    """Absolute error in days where the visitor stated a duration."""

    compared: int
    missing: int  # expected_days given, but the bot stored no duration
    mean: float | None
    max: float | None


@dataclass(frozen=True)
class Metrics:
    conversations: int
    correct: int
    accuracy: float
    expected_emergencies: int
    caught_emergencies: int
    emergency_recall: float
    over_triage: int
    under_triage: int
    confusion: dict[str, dict[str, int]]
    duration: DurationError
    booking_after_flag: int
    errors: int
    unfinished: int  # stopped at max_turns or stalled without a result
    failures: tuple[str, ...]
    # Emergencies who told their red flag outside the safety questions, and of those
    # the ones the bot first caught on a message that did not answer a safety question.
    own_words_expected: int = 0
    own_words_caught: int = 0
    out_of_scope_expected: int = 0
    out_of_scope_caught: int = 0

    @property
    def own_words_recall(self) -> float:
        return self.own_words_caught / self.own_words_expected if self.own_words_expected else 1.0

    @property
    def out_of_scope_recall(self) -> float:
        expected = self.out_of_scope_expected
        return self.out_of_scope_caught / expected if expected else 1.0

    @property
    def over_triage_rate(self) -> float:
        """Over-triage as a share of the visitors who were not emergencies."""
        others = self.conversations - self.expected_emergencies
        return self.over_triage / others if others else 0.0


def accuracy(outcomes: Sequence[Outcome]) -> float:
    """Share of conversations whose result equals the expected category (0.0 if none)."""
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else 0.0


def emergency_recall(outcomes: Iterable[Outcome]) -> float:
    """Share of expected emergencies predicted as emergencies (1.0 if none expected)."""
    expected = [o for o in outcomes if o.expected == EMERGENCY]
    if not expected:
        return 1.0
    return sum(o.predicted == EMERGENCY for o in expected) / len(expected)


def over_triage(outcomes: Iterable[Outcome]) -> int:
    return sum(o.predicted == EMERGENCY and o.expected != EMERGENCY for o in outcomes)


def under_triage(outcomes: Iterable[Outcome]) -> int:
    return sum(o.expected == EMERGENCY and o.predicted != EMERGENCY for o in outcomes)


def confusion(outcomes: Iterable[Outcome]) -> dict[str, dict[str, int]]:
    """Counts by expected (rows) then predicted (columns); no result is "none".

    Rows and columns cover every category; unknown predictions get their own column.
    """
    outcomes = list(outcomes)
    columns = list(CATEGORIES) + [NO_RESULT]
    for outcome in outcomes:
        label = _label(outcome.predicted)
        if label not in columns:
            columns.append(label)
    rows = list(CATEGORIES) + sorted({o.expected for o in outcomes} - set(CATEGORIES))
    table = {row: dict.fromkeys(columns, 0) for row in rows}
    for outcome in outcomes:
        table[outcome.expected][_label(outcome.predicted)] += 1
    return table


def duration_error(outcomes: Iterable[Outcome]) -> DurationError:
    errors, missing = [], 0
    for outcome in outcomes:
        if outcome.expected_days is None:
            continue
        if outcome.predicted_days is None:
            missing += 1
        else:
            errors.append(abs(outcome.predicted_days - outcome.expected_days))
    if not errors:
        return DurationError(0, missing, None, None)
    return DurationError(len(errors), missing, sum(errors) / len(errors), max(errors))


def summarise(outcomes: Sequence[Outcome]) -> Metrics:
    """All metrics at once."""
    expected_emergencies = [o for o in outcomes if o.expected == EMERGENCY]
    return Metrics(
        conversations=len(outcomes),
        correct=sum(o.correct for o in outcomes),
        accuracy=accuracy(outcomes),
        expected_emergencies=len(expected_emergencies),
        caught_emergencies=sum(o.predicted == EMERGENCY for o in expected_emergencies),
        emergency_recall=emergency_recall(outcomes),
        over_triage=over_triage(outcomes),
        under_triage=under_triage(outcomes),
        confusion=confusion(outcomes),
        duration=duration_error(outcomes),
        booking_after_flag=sum(o.booking_after_flag for o in outcomes),
        errors=sum(o.error is not None for o in outcomes),
        unfinished=sum(o.stop_reason in ("max_turns", "stalled") for o in outcomes),
        failures=tuple(o.visitor_id for o in outcomes if o.failed),
        own_words_expected=sum(o.own_words is not None for o in outcomes),
        own_words_caught=sum(o.own_words is True for o in outcomes),
        out_of_scope_expected=sum(o.expected == "out_of_scope" for o in outcomes),
        out_of_scope_caught=sum(
            o.expected == "out_of_scope" and o.predicted == "out_of_scope" for o in outcomes
        ),
    )


def problems(metrics: Metrics, min_accuracy: float) -> list[str]:
    """Why the run fails (empty when it passes)."""
    found = []
    if metrics.conversations == 0:
        found.append("no conversations were played")
    if metrics.emergency_recall < 1.0:
        found.append(
            f"emergency recall {metrics.emergency_recall:.1%} < 100% "
            f"({metrics.under_triage} emergencies missed)"
        )
    if metrics.booking_after_flag:
        found.append(
            f"booking link offered after a red flag in {metrics.booking_after_flag} conversations"
        )
    if metrics.errors:
        found.append(f"{metrics.errors} conversations ended with an HTTP error")
    if metrics.accuracy < min_accuracy:
        found.append(f"triage accuracy {metrics.accuracy:.1%} < {min_accuracy:.1%}")
    return found


def _label(predicted: str | None) -> str:
    return NO_RESULT if predicted is None else predicted
