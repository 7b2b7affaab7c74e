"""Percentiles, the JSON written to var/bench/latest.json, and the table printed."""

from __future__ import annotations

import math
from collections.abc import Sequence

LEVELS = (1, 10, 50)
PACED_TARGET_CONVERSATIONS = 50
PACED_TARGET_MSGS_PER_S = 40
PACED_TARGET_P95_MS = 500


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def latency(values: Sequence[float]) -> dict[str, float]:
    return {f"p{p}_ms": round(percentile(values, p), 1) for p in (50, 95, 99)}


def profile_entry(levels: dict[int, object], peak_rss: dict[str, float], rasa_peak: float,
                  startup_s: float, paced=None) -> dict:  # fmt: skip
    """One profile's figures; p50/p95/p99 are per turn at one visitor."""
    one = levels[min(levels)]
    entry = {
        **latency(one.latencies_ms),
        "msgs_per_s": {str(c): round(levels[c].msgs_per_s, 1) for c in sorted(levels)},
        "peak_rss_mb": rasa_peak,
        "startup_s": round(startup_s, 1),
        "latency_ms": {str(c): latency(levels[c].latencies_ms) for c in sorted(levels)},
        "messages": {str(c): levels[c].messages for c in sorted(levels)},
        "errors": {str(c): len(levels[c].errors) for c in sorted(levels)},
        "unfinished": {str(c): levels[c].unfinished for c in sorted(levels)},
        "peak_rss_mb_by_process": peak_rss,
    }
    if paced is not None:
        entry["paced"] = {
            "conversations": paced.concurrency,
            "think_s": paced.think_s,
            "msgs_per_s": round(paced.msgs_per_s, 1),
            **latency(paced.latencies_ms),
            "errors": len(paced.errors),
        }
    return entry


def paced_verdict(paced: dict) -> str:
    """The issue's target for 50 open conversations: >= 40 msg/s with p95 <= 500 ms."""
    met = (
        paced["conversations"] >= PACED_TARGET_CONVERSATIONS
        and paced["msgs_per_s"] >= PACED_TARGET_MSGS_PER_S
        and paced["p95_ms"] <= PACED_TARGET_P95_MS
    )
    return (
        f"target >= {PACED_TARGET_MSGS_PER_S} msg/s with p95 <= {PACED_TARGET_P95_MS} ms "
        f"at {PACED_TARGET_CONVERSATIONS} conversations: {'met' if met else 'missed'}"
    )


def steal_note(percent: float | None) -> str:
    """Says "(CPU steal N %)" when the hypervisor took a noticeable share, else nothing."""
    return f" (CPU steal {percent:.0f} %)" if percent and percent >= 1 else ""


def table(profiles: dict[str, dict], training_s: float | None) -> str:
    """The figures as a Markdown table, then RSS per process."""
    head = (
        "| profile | p50 ms | p95 ms | p99 ms | msg/s @1 | msg/s @10 | msg/s @50 "
        "| p95 ms @50 | peak RSS MB (largest Rasa) | start-up s |"
    )
    lines: list[str] = [head, "|" + "---|" * 10]
    for name, e in profiles.items():
        rates = e["msgs_per_s"]
        p95_50 = e["latency_ms"].get("50", {}).get("p95_ms", 0)
        lines.append(
            f"| {name} | {e['p50_ms']:.0f} | {e['p95_ms']:.0f} | {e['p99_ms']:.0f} "
            f"| {rates.get('1', 0):.1f} | {rates.get('10', 0):.1f} | {rates.get('50', 0):.1f} "
            f"| {p95_50:.0f} | {e['peak_rss_mb']:.0f} | {e['startup_s']:.1f} |"
        )
    lines.append("")
    for name, e in profiles.items():
        paced = e.get("paced")
        if paced:
            lines.append(
                f"{name}, {paced['conversations']} conversations pausing {paced['think_s']:g} s "
                f"between messages: {paced['msgs_per_s']:.1f} msg/s, p50 {paced['p50_ms']:.0f} "
                f"ms, p95 {paced['p95_ms']:.0f} ms, p99 {paced['p99_ms']:.0f} ms; "
                f"{paced_verdict(paced)}" + steal_note(e.get("cpu_steal_pct", {}).get("paced"))
            )
    for name, e in profiles.items():
        processes = ", ".join(f"{p} {mb:.0f}" for p, mb in e["peak_rss_mb_by_process"].items())
        lines.append(f"peak RSS MB, {name}: {processes}")
    shown = f"{training_s:.0f} s" if training_s is not None else "not measured"
    lines.append(f"training (rasa train --force, empty cache): {shown}")
    return "\n".join(lines)
