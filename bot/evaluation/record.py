"""Append a run's figures as a row of the triage evaluation log (``docs/triage-eval.md``)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from .metrics import Metrics

HEADER = (
    "| date | commit | set | visitors | visitor mode | accuracy | emergency recall "
    "| red flags in own words | over-triage | out-of-scope recall | booking after flag |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|\n"
)
TITLE = "# Triage evaluation log\n\n"


def current_commit(cwd: Path | None = None) -> str:
    """The short commit hash, with ``+dirty`` when the work tree has changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=cwd, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (commit or "unknown") + ("+dirty" if dirty else "")


def row(metrics: Metrics, set_name: str, mode: str, commit: str, date: dt.date) -> str:
    """One Markdown table row."""
    m = metrics
    cells = [
        date.isoformat(),
        commit,
        set_name.replace("|", "/"),
        str(m.conversations),
        mode,
        f"{m.accuracy:.1%} ({m.correct}/{m.conversations})",
        f"{m.emergency_recall:.1%} ({m.caught_emergencies}/{m.expected_emergencies})",
        f"{m.own_words_recall:.1%} ({m.own_words_caught}/{m.own_words_expected})",
        f"{m.over_triage_rate:.1%} ({m.over_triage})",
        f"{m.out_of_scope_recall:.1%} ({m.out_of_scope_caught}/{m.out_of_scope_expected})",
        str(m.booking_after_flag),
    ]
    return "| " + " | ".join(cells) + " |\n"


def append_row(path: Path, line: str) -> None:
    """Append ``line`` to the table that ends the log, creating file or table if needed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text.strip():
        text = TITLE
    if HEADER not in text:
        text = text.rstrip("\n") + "\n\n" + HEADER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n" + line, encoding="utf-8")
