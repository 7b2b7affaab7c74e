"""Compare medspaCy ConText with BackChat's assertion rules on scripts/assertion_cases.yml.

The two systems live in different virtualenvs (medspaCy must not go into the project's .venv),
so this one file has three modes:

  # 1. BackChat side (project venv): build_nlp() + to_rasa_entities + clause_assertion
  PYTHONPATH=. .venv/bin/python scripts/compare_assertion.py \
      backchat --cases /tmp/cases.json --out /tmp/backchat.json
  # 2. ConText side (separate venv with spacy==3.4.4 + medspacy==1.3.1, see docs/assertion-eval.md)
  .venv-medspacy/bin/python scripts/compare_assertion.py \
      context --cases /tmp/cases.json --out /tmp/context.json
  # 3. all of it: writes the cases JSON, shells out to both venvs, scores, prints a report
  PYTHONPATH=. .venv/bin/python scripts/compare_assertion.py run \
      [--medspacy-python .venv-medspacy/bin/python] [--json results.json]

Scoring: the safety decision is binary -- COUNTS (status "present") vs DOES NOT COUNT
(negated, family, hypothetical, historical). Also scored on the 5-way status.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES_YML = HERE / "assertion_cases.yml"
STATUSES = ("present", "negated", "family", "hypothetical", "historical")
#: Which label wins when BackChat returns several facts over the target.
LABEL_RANK = {"red_flag": 0, "condition": 1, "symptom": 2, "radiation": 3, "body_part": 4}


# --------------------------------------------------------------------------- cases
def load_cases(path: Path = CASES_YML) -> list[dict[str, Any]]:
    import yaml  # project venv only

    data = yaml.safe_load(path.read_text())
    cases = []
    for group, rows in data.items():
        for text, target, status in rows:
            assert status in STATUSES, (text, status)
            start = text.lower().find(target.lower())
            assert start >= 0, f"target {target!r} not in {text!r}"
            cases.append(
                {"id": len(cases), "group": group, "text": text, "target": target,
                 "start": start, "end": start + len(target), "gold": status}
            )  # fmt: skip
    return cases


# --------------------------------------------------------------------------- BackChat
def run_backchat(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from bot.nlp.assertion import clause_assertion
    from bot.nlp.entities import to_rasa_entities
    from bot.nlp.extensions import SPANS_KEY
    from bot.nlp.pipeline import build_nlp

    nlp = build_nlp()
    out = []
    for case in cases:
        doc = nlp(case["text"])
        spans = list(doc.ents) + (list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else [])
        over = [
            s for s in spans
            if s.start_char < case["end"] and s.end_char > case["start"]
            and s.label_ not in ("duration", "age", "subject")
        ]  # fmt: skip
        ents = [
            e for e in to_rasa_entities(doc)
            if e["start"] < case["end"] and e["end"] > case["start"]
        ]  # fmt: skip
        row: dict[str, Any] = {
            "id": case["id"],
            "clause_assertion": clause_assertion(case["text"]),
            "entities": [
                {k: e.get(k) for k in ("entity", "value", "role", "start", "end")} for e in ents
            ],
        }
        if over:
            # red flags first; among them a non-negated one decides (it would count).
            # A radiation fact whose value is "none" ("legs are ok") is itself a denial.
            def denied(s):
                return bool(s._.negated) or (s.label_ == "radiation" and s.id_ == "none")

            over.sort(key=lambda s: (LABEL_RANK.get(s.label_, 9), denied(s)))
            best = over[0]
            status = "present"
            if denied(best):
                status = best._.assertion if best._.assertion != "present" else "negated"
            row.update(
                recognised=True,
                span=[best.start_char, best.end_char],
                label=best.label_,
                value=best.id_ or best.text.lower(),
                negated=denied(best),
                assertion=best._.assertion,
                counts=not denied(best),
                status=status,
            )
        else:
            # no fact over the target: the pipeline would not count anything; the finer
            # status is what clause_assertion says about the sentence around the target
            sent = case["text"]
            row.update(recognised=False, label=None, value=None, negated=None,
                       assertion=None, counts=False, status=clause_assertion(sent))  # fmt: skip
            row["status_if_recognised"] = row["status"]
        out.append(row)
    return out


# --------------------------------------------------------------------------- ConText
def run_context(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    try:  # PyRuSH logs every token at DEBUG through loguru
        from loguru import logger

        logger.remove()
    except ImportError:
        pass
    import medspacy
    import spacy

    # medspaCy's default blank-English pipeline: its tokenizer, PyRuSH sentences, ConText
    # with the default rules bundled in the package (no model download).
    nlp = medspacy.load(medspacy_enable=["medspacy_pyrush", "medspacy_context"])
    context = nlp.get_pipe("medspacy_context")
    meta = {
        "spacy": spacy.__version__,
        "medspacy": medspacy.__version__,
        "pipe_names": nlp.pipe_names,
        "context_rules": len(context.rules),
    }
    out = []
    for case in cases:
        row = {"id": case["id"], **_context_one(nlp, context, case, case["start"], case["end"])}
        if case.get("bc_span"):  # the same, on the span BackChat's own entity covers
            row["on_backchat_span"] = _context_one(nlp, context, case, *case["bc_span"])
        out.append(row)
    return [{"meta": meta}] + out


def _context_one(nlp, context, case, start, end) -> dict[str, Any]:
    doc = nlp.make_doc(case["text"])
    for name, pipe in nlp.pipeline:
        if name != "medspacy_context":
            doc = pipe(doc)
    span = doc.char_span(start, end, label="TARGET", alignment_mode="expand")
    doc.ents = [span]
    doc = context(doc)
    ent = doc.ents[0]
    flags = {
        a: bool(getattr(ent._, a))
        for a in ("is_negated", "is_family", "is_hypothetical", "is_historical", "is_uncertain")
    }
    # precedence: negated > family > hypothetical > historical > present;
    # "uncertain" ("possible", "?") is not one of our statuses and still counts
    if flags["is_negated"]:
        status = "negated"
    elif flags["is_family"]:
        status = "family"
    elif flags["is_hypothetical"]:
        status = "hypothetical"
    elif flags["is_historical"]:
        status = "historical"
    else:
        status = "present"
    return {
        "span": ent.text, **flags, "status": status, "counts": status == "present",
        "modifiers": [f"{m.category}:{doc[m.modifier_span[0]:m.modifier_span[1]].text}"
                      for m in ent._.modifiers],
    }  # fmt: skip


# --------------------------------------------------------------------------- scoring
def score(cases, results) -> dict[str, Any]:
    n = len(cases)
    gold_counts = [c["gold"] == "present" for c in cases]
    pred_counts = [r["counts"] for r in results]
    tp = sum(g and p for g, p in zip(gold_counts, pred_counts, strict=False))
    missed = sum(g and not p for g, p in zip(gold_counts, pred_counts, strict=False))
    over = sum(p and not g for g, p in zip(gold_counts, pred_counts, strict=False))
    tn = n - tp - missed - over
    five = sum(c["gold"] == r["status"] for c, r in zip(cases, results, strict=False))
    per_class = {
        s: (sum(1 for c, r in zip(cases, results, strict=False)
                if c["gold"] == s and r["status"] == s),
            sum(1 for c in cases if c["gold"] == s))
        for s in STATUSES
    }  # fmt: skip
    bin_per_class = {
        s: (sum(1 for c, r in zip(cases, results, strict=False)
                if c["gold"] == s and r["counts"] == (s == "present")),
            sum(1 for c in cases if c["gold"] == s))
        for s in STATUSES
    }  # fmt: skip
    return {
        "n": n, "binary_acc": (tp + tn) / n, "tp": tp, "tn": tn,
        "missed_red_flags": missed, "over_triage": over,
        "present_recall": tp / max(1, tp + missed),
        "not_count_recall": tn / max(1, tn + over),
        "five_way_acc": five / n, "per_class_5way": per_class, "per_class_binary": bin_per_class,
    }  # fmt: skip


def combined(bc, cx) -> dict[str, Any]:
    """Counts only if both say it counts (ConText as an extra veto)."""
    counts = bc["counts"] and cx["counts"]
    status = bc["status"] if not bc["counts"] else cx["status"]
    return {"counts": counts, "status": status}


def report(cases, bc, cx, meta) -> str:
    # BackChat assertion-only view: unrecognised targets scored by clause_assertion
    bc_assert = [r if r["recognised"] else {**r, "counts": r["status"] == "present"} for r in bc]
    systems = {
        "BackChat pipeline (end-to-end: unrecognised = not counted)": bc,
        "BackChat assertion (unrecognised -> clause_assertion)": bc_assert,
        "BackChat clause_assertion(phrase) alone": [
            {"counts": r["clause_assertion"] == "present", "status": r["clause_assertion"]}
            for r in bc
        ],
        "BackChat assertion + clause_assertion(phrase) veto": [
            {
                "counts": r["counts"] and r["clause_assertion"] == "present",
                "status": r["status"] if not r["counts"] else r["clause_assertion"],
            }
            for r in bc_assert
        ],  # fmt: skip
        "medspaCy ConText (default rules)": cx,
        "ConText on BackChat's entity span (recognised only; else target)": [
            x.get("on_backchat_span", x) for x in cx
        ],
        "Combined: BackChat assertion AND ConText": [
            combined(b, c) for b, c in zip(bc_assert, cx, strict=False)
        ],
    }
    lines = [f"cases: {len(cases)}  {dict(Counter(c['gold'] for c in cases))}",
             f"medspaCy side: {meta}",
             f"BackChat recognised the target in {sum(r['recognised'] for r in bc)}"
             f"/{len(bc)} cases", ""]  # fmt: skip
    lines.append(
        "| system | binary acc | missed red flags (present -> not counted) "
        "| over-triage (not-present -> counts) | 5-way acc |"
    )
    lines.append("|---|---|---|---|---|")
    scores = {}
    for name, res in systems.items():
        s = score(cases, res)
        scores[name] = s
        lines.append(
            f"| {name} | {s['binary_acc']:.1%} ({s['tp'] + s['tn']}/{s['n']}) "
            f"| {s['missed_red_flags']}/{s['tp'] + s['missed_red_flags']} "
            f"| {s['over_triage']}/{s['tn'] + s['over_triage']} | {s['five_way_acc']:.1%} |"
        )
    lines.append("")
    lines.append("| system | " + " | ".join(STATUSES) + " |")
    lines.append("|---|" + "---|" * len(STATUSES))
    for name, s in scores.items():
        cells = [f"{s['per_class_binary'][k][0]}/{s['per_class_binary'][k][1]} bin, "
                 f"{s['per_class_5way'][k][0]} exact" for k in STATUSES]  # fmt: skip
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Disagreements on the binary decision (gold | BackChat | ConText):")
    for c, b, x in zip(cases, bc_assert, cx, strict=False):
        if b["counts"] != x["counts"]:
            win = "BackChat" if b["counts"] == (c["gold"] == "present") else "ConText"
            lines.append(
                f"- [{win} right] {c['text']!r} <{c['target']}> gold={c['gold']} | "
                f"BC={b['status']}{'' if b['recognised'] else ' (unrecognised)'} "
                f"{b.get('label') or ''}:{b.get('value') or ''} | CX={x['status']} "
                f"{x['modifiers']}"
            )
    lines.append("")
    lines.append("Both wrong on the binary decision:")
    for c, b, x in zip(cases, bc_assert, cx, strict=False):
        g = c["gold"] == "present"
        if b["counts"] != g and x["counts"] != g:
            lines.append(f"- {c['text']!r} <{c['target']}> gold={c['gold']} | "
                         f"BC={b['status']} | CX={x['status']} {x['modifiers']}")  # fmt: skip
    lines.append("")
    lines.append("BackChat did not recognise the target (no entity over it):")
    for c, b in zip(cases, bc, strict=False):
        if not b["recognised"]:
            lines.append(f"- {c['text']!r} <{c['target']}> gold={c['gold']} "
                         f"clause_assertion={b['clause_assertion']}")  # fmt: skip
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("mode", choices=("backchat", "context", "run"))
    p.add_argument("--cases", help="cases JSON (backchat/context modes)")
    p.add_argument("--out", help="output JSON (backchat/context modes)")
    p.add_argument("--medspacy-python", default=os.environ.get(
        "MEDSPACY_PYTHON", ".venv-medspacy/bin/python"))  # fmt: skip
    p.add_argument("--project-python", default=str(ROOT / ".venv" / "bin" / "python"))
    p.add_argument("--json", help="run mode: also write all raw results here")
    args = p.parse_args(argv)

    if args.mode in ("backchat", "context"):
        cases = json.loads(Path(args.cases).read_text())
        res = run_backchat(cases) if args.mode == "backchat" else run_context(cases)
        Path(args.out).write_text(json.dumps(res, indent=1))
        return 0

    cases = load_cases()
    with tempfile.TemporaryDirectory() as tmp:
        cj, bj, xj = (Path(tmp) / n for n in ("cases.json", "bc.json", "cx.json"))
        cj.write_text(json.dumps(cases))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
        me = str(Path(__file__).resolve())
        subprocess.run([args.project_python, me, "backchat", "--cases", str(cj), "--out",
                        str(bj)], check=True, env=env, cwd=ROOT)  # fmt: skip
        bc = json.loads(bj.read_text())
        for case, row in zip(cases, bc, strict=False):
            case["bc_span"] = row.get("span")
        cj.write_text(json.dumps(cases))
        cx_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        subprocess.run([args.medspacy_python, me, "context", "--cases", str(cj), "--out",
                        str(xj)], check=True, env=cx_env, cwd=tmp)  # fmt: skip
        cx_all = json.loads(xj.read_text())
    meta, cx = cx_all[0]["meta"], cx_all[1:]
    print(report(cases, bc, cx, meta))
    if args.json:
        rows = [{**c, "backchat": b, "context": x} for c, b, x in zip(cases, bc, cx, strict=False)]
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
