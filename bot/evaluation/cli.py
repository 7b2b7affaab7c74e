"""``python -m bot.evaluation``: run the simulated visitors and print the metrics.

Exit status: 0 when every check passes; 1 when emergency recall is below 100%, the
booking link followed a red flag, a conversation hit an HTTP error, accuracy is
below --min-accuracy, or an intent report given with --nlu-report (not --nlu-info) has a
macro-F1 below 0.95; 2 when the run cannot start (bad arguments, visitors file or intent
report, Rasa unreachable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.clinic import load_clinic

from .client import DEFAULT_TIMEOUT, RasaClient, RasaError
from .driver import MAX_TURNS
from .judge import Outcome
from .metrics import problems, summarise
from .nlu_scores import read_intent_report, score_lines, score_problems
from .record import append_row, current_commit, row
from .report import json_report, text_report
from .runner import DEFAULT_WORKERS, run_visitors
from .script import MODES
from .visitors import DEFAULT_PATH, VisitorFileError, load_visitors


def default_booking_link() -> str:
    """links.booking from clinic.yml (BACKCHAT_CLINIC_FILE or the repository copy)."""
    return load_clinic().links["booking"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.evaluation",
        description="Play simulated visitors against a running BackChat Rasa server.",
    )
    parser.add_argument(
        "--rasa-url",
        default=os.environ.get("RASA_URL", "http://localhost:5005"),
        help="Rasa server URL (default: $RASA_URL or http://localhost:5005)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("RASA_TOKEN"),
        help="token for the tracker endpoint (default: $RASA_TOKEN)",
    )
    parser.add_argument("--visitors", type=Path, default=DEFAULT_PATH, help="visitors YAML")
    parser.add_argument("--limit", type=int, help="play only the first N visitors")
    parser.add_argument(
        "--only", action="append", metavar="ID", help="play only this visitor (repeatable)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write a JSON report")
    parser.add_argument("--min-accuracy", type=float, default=0.95)
    parser.add_argument(
        "--nlu-report",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="also print (and check) the intent scores of a rasa test nlu intent_report.json",
    )
    parser.add_argument(
        "--nlu-info",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="print the intent scores of a report without a target (cross-validation)",
    )
    parser.add_argument(
        "--mode",
        action="append",
        choices=MODES,
        help="visitor mode, repeatable (default truthful): own_words answers 'no' to the "
        "generic safety questions after telling a red flag in other words",
    )
    parser.add_argument(
        "--record",
        type=Path,
        metavar="LOG",
        help="append one row per mode to this Markdown log (docs/triage-eval.md)",
    )
    parser.add_argument("--set-name", help="the set's name in the log (default: file name)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds/request")
    parser.add_argument("--max-turns", type=int, default=MAX_TURNS)
    parser.add_argument(
        "--booking-link",
        default=None,
        help="text that marks a booking offer (default: links.booking in clinic.yml)",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if not 1 <= args.workers <= 32:
        parser.error("--workers must be between 1 and 32")
    if not 0.0 <= args.min_accuracy <= 1.0:
        parser.error("--min-accuracy must be between 0 and 1")
    if args.max_turns < 1 or args.timeout <= 0:
        parser.error("--max-turns and --timeout must be positive")
    if not args.rasa_url.startswith(("http://", "https://")):
        parser.error("--rasa-url must start with http:// or https://")
    if any("=" not in item for item in args.nlu_report + args.nlu_info):
        parser.error("--nlu-report and --nlu-info take LABEL=PATH")
    args.mode = list(dict.fromkeys(args.mode or ["truthful"]))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    booking_link = args.booking_link or default_booking_link()
    try:
        visitors = load_visitors(args.visitors)
    except VisitorFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {v.id for v in visitors})
        if unknown:
            print(f"error: --only: no visitor with id {', '.join(unknown)}", file=sys.stderr)
            return 2
        visitors = [v for v in visitors if v.id in set(args.only)]
    visitors = visitors[: args.limit] if args.limit else visitors
    try:
        intent_scores = [
            read_intent_report(Path(path), label)
            for label, path in (item.split("=", 1) for item in args.nlu_report)
        ] + [
            read_intent_report(Path(path), label, target=False)
            for label, path in (item.split("=", 1) for item in args.nlu_info)
        ]
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    client = RasaClient(args.rasa_url, args.token, timeout=args.timeout)
    try:
        client.version()
        client.tracker(f"eval-preflight-{uuid.uuid4().hex[:12]}")
    except RasaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    lock, done = threading.Lock(), [0]

    def progress(outcome: Outcome) -> None:
        with lock:
            done[0] += 1
            mark = "FAIL" if outcome.failed else "ok"
            print(
                f"[{done[0]:>3}/{len(visitors)}] {mark:<4} {outcome.visitor_id}: expected "
                f"{outcome.expected}, got {outcome.predicted or 'no result'}",
                file=sys.stderr,
                flush=True,
            )

    failed = False
    reports = {}
    commit = current_commit()  # before this run's own rows make the log "changed"
    for mode in args.mode:
        outcomes = run_visitors(
            client,
            visitors,
            booking_link,
            workers=args.workers,
            max_turns=args.max_turns,
            progress=progress,
            mode=mode,
        )
        done[0] = 0
        metrics = summarise(outcomes)
        found = problems(metrics, args.min_accuracy) + score_problems(intent_scores)
        failed = failed or bool(found)
        print(
            f"Rasa {args.rasa_url}, visitors {args.visitors} ({mode} visitor), "
            f"booking link {booking_link!r}"
        )
        print(text_report(metrics, outcomes, args.min_accuracy, found, score_lines(intent_scores)))
        reports[mode] = json_report(metrics, outcomes, found)
        if args.record:
            name = args.set_name or args.visitors.name
            append_row(args.record, row(metrics, name, mode, commit, date.today()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = reports[args.mode[0]] if len(reports) == 1 else {"modes": reports}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 1 if failed else 0
