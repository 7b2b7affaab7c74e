"""``python -m bench``: start each profile on free ports, drive the conversation mix, report.

For every profile: start-up time (until ``bot.runtime.stack`` says it is up), one warm-up
conversation per script, then closed-loop load at 1, 10 and 50 concurrent conversations
(each visitor sends its next message as soon as it has the answer: per-turn latency and
messages per second, i.e. capacity), then 50 conversations whose visitors pause
``--think-s`` between messages (latency under a load the stack can sustain), then the peak
RSS of every process. Training time
comes from :mod:`bench.training`. Figures go to stdout and ``var/bench/latest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from bench import databases
from bench.conversations import MIX, mix
from bench.load import run_level, warm_up
from bench.machine import read_cpu_model, read_cpu_ticks, steal_percent
from bench.processes import cpu_share, cpu_snapshot, peak_rss_mb, rasa_peak_mb
from bench.report import LEVELS, profile_entry, table
from bench.training import training_seconds
from bot.harness.stack import RunningStack
from bot.runtime.secrets_policy import generated_secrets
from bot.runtime.settings import PROJECT_ROOT

PROFILES: dict[str, dict[str, str]] = {
    "embedded": {"BACKCHAT_PROFILE": "embedded"},
    "production-1": {"BACKCHAT_PROFILE": "production", "BACKCHAT_RASA_WORKERS": "1"},
    "production-2": {"BACKCHAT_PROFILE": "production", "BACKCHAT_RASA_WORKERS": "2"},
}
DURATION_S = {1: 25.0, 10: 30.0, 50: 40.0}
QUICK_DURATION_S = {1: 6.0, 10: 6.0, 50: 8.0}
OUT = PROJECT_ROOT / "var" / "bench" / "latest.json"
PACED_CONVERSATIONS = 50
THINK_S = 1.0  # 50 visitors pausing 1 s: the load the throughput target is about


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def production_available(postgres: str, redis_url: str) -> str | None:
    """None if PostgreSQL and Redis answer, else why not."""
    import redis

    try:
        databases.drop(databases.create(postgres, "backchat_probe"))
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def bench_profile(name: str, args: argparse.Namespace) -> dict:
    durations = QUICK_DURATION_S if args.quick else DURATION_S
    with ExitStack() as cleanup:
        var_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        env = dict(PROFILES[name])
        if env["BACKCHAT_PROFILE"] == "production":
            env.update(
                BACKCHAT_DATABASE_URL=cleanup.enter_context(databases.temporary(args.postgres)),
                BACKCHAT_REDIS_URL=args.redis,
                BACKCHAT_REDIS_KEY_PREFIX=f"bench{uuid.uuid4().hex[:8]}",
            )
        say(f"{name}: starting")
        env.update(generated_secrets())
        token = env["BACKCHAT_API_TOKEN"]
        stack = RunningStack(var_dir, env=env, token=token).start(timeout_s=300)
        try:
            say(f"{name}: up in {stack.startup_s:.1f} s; warming up")
            servers = [stack.rasa_url]
            asyncio.run(warm_up(servers, MIX))
            levels, load, steal = {}, {}, {}
            for level in args.levels:
                before, ticks = loadavg(), read_cpu_ticks()
                levels[level] = asyncio.run(
                    run_level(servers, mix(seed=level), level, durations[level])
                )
                load[str(level)] = [before, loadavg()]
                steal[str(level)] = steal_percent(ticks, read_cpu_ticks())
                result = levels[level]
                say(
                    f"{name} @{level}: {result.messages} turns, {result.msgs_per_s:.1f} msg/s, "
                    f"{len(result.errors)} errors, load {before:.1f} -> {loadavg():.1f}, "
                    f"CPU steal {steal[str(level)]:.0f} %"
                )
            paced, cpu = None, {}
            if args.think_s:
                ticks, cpu_before = read_cpu_ticks(), cpu_snapshot(stack.pids())
                paced_started = time.monotonic()
                paced = asyncio.run(
                    run_level(servers, mix(seed=99), PACED_CONVERSATIONS,
                              durations[PACED_CONVERSATIONS], think_s=args.think_s)
                )  # fmt: skip
                steal["paced"] = steal_percent(ticks, read_cpu_ticks())
                cpu = cpu_share(cpu_before, cpu_snapshot(stack.pids()),
                                time.monotonic() - paced_started)  # fmt: skip
                say(
                    f"{name} @{PACED_CONVERSATIONS} pausing {args.think_s:g} s: "
                    f"{paced.msgs_per_s:.1f} msg/s, {len(paced.errors)} errors, "
                    f"CPU steal {steal['paced']:.0f} %; CPU by process (% of one core): "
                    + ", ".join(f"{group} {share:.0f}" for group, share in cpu.items())
                )
            by_process = peak_rss_mb(stack.pids())
        finally:
            stack.stop()
    entry = profile_entry(levels, by_process, rasa_peak_mb(by_process), stack.startup_s, paced)
    entry["loadavg_1min"] = load
    entry["cpu_steal_pct"] = steal  # the hypervisor's share, by level: see bench.machine
    if cpu:
        entry["paced"]["cpu_pct_of_one_core"] = cpu  # who used the 2 cores in the paced run
    return entry


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--quick", action="store_true", help="a few seconds per level")
    parser.add_argument("--no-training", action="store_true", help="use a cached time only")
    parser.add_argument("--retrain", action="store_true", help="measure training again")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--think-s",
        type=float,
        default=THINK_S,
        help=f"pause between messages for the paced run of {PACED_CONVERSATIONS} "
        f"conversations (0: skip it); default {THINK_S:g}",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BACKCHAT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BACKCHAT_BENCH_REDIS", "redis://127.0.0.1:6379/1")
    )
    args = parser.parse_args(argv)
    args.profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    unknown = [p for p in args.profiles if p not in PROFILES]
    if unknown:
        parser.error(f"unknown profiles {unknown}; known: {', '.join(PROFILES)}")
    args.levels = [int(level) for level in args.levels.split(",")]
    if any(level not in DURATION_S for level in args.levels):
        parser.error(f"levels must be among {sorted(DURATION_S)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.monotonic()
    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    problem = None
    if any(PROFILES[p]["BACKCHAT_PROFILE"] == "production" for p in args.profiles):
        problem = production_available(args.postgres, args.redis)
    for name in args.profiles:
        if PROFILES[name]["BACKCHAT_PROFILE"] == "production" and problem:
            skipped[name] = problem
            say(f"SKIPPING {name}: PostgreSQL/Redis unreachable ({problem})")
            continue
        results[name] = bench_profile(name, args)
    say("training time" + (" (cached only)" if args.no_training else ""))
    training = training_seconds(
        args.out.parent / "training.json", remeasure=args.retrain, allowed=not args.no_training
    )
    report = {
        "profiles": results,
        "training_s": training,
        "skipped": skipped,
        "machine": {
            "cores": os.cpu_count(),
            "cpu_model": read_cpu_model(),
            "loadavg_at_end": loadavg(),
        },
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "quick": args.quick,
        "wall_s": round(time.monotonic() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results, training))
    print(f"\nWritten to {args.out}")
    return 1 if skipped else 0
