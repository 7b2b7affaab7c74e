"""Peak resident memory (VmHWM) and CPU time of a running stack's processes, from /proc."""

from __future__ import annotations

import os
from pathlib import Path

SERVICES = ("postgres", "redis-server", "beam.smp")


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _command(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def label(command: list[str]) -> str:
    """A short name for a BackChat process from its command line."""
    text = " ".join(command)
    for marker, name in (
        ("bot.runtime.stack", "stack"),
        ("rasa_sdk", "actions"),
        ("bot.web", "web"),
        ("bot.rasa_ext.rasa_server", "rasa"),
        ("rasa run", "rasa"),
        ("-m rasa", "rasa"),
        ("multiprocessing", "rasa worker"),
    ):
        if marker in text:
            return name
    return command[0].rsplit("/", 1)[-1] if command else "?"


def process_names(pids: list[int]) -> dict[int, str]:
    """{pid: name}; forked Sanic workers get "rasa worker", then "rasa worker 2"...

    ``pids`` lists parents before their children, as ``RunningStack.pids`` does.
    """
    names: dict[int, str] = {}
    labels: dict[int, str] = {}
    for pid in pids:
        try:
            parent = int(_status(pid).get("PPid", "0"))
            labels[pid] = label(_command(pid))
        except OSError:
            continue
        name = labels[pid]
        if labels.get(parent) == "rasa" and name == "rasa":
            name = "rasa worker"
        key, n = name, 1
        while key in names.values():
            n += 1
            key = f"{name} {n}"
        names[pid] = key
    return names


def peak_rss_mb(pids: list[int]) -> dict[str, float]:
    """{process name: peak RSS in MiB} (names from :func:`process_names`)."""
    found: dict[str, float] = {}
    for pid, name in process_names(pids).items():
        try:
            kib = int(_status(pid).get("VmHWM", "0 kB").split()[0])
        except OSError:
            continue
        found[name] = round(kib / 1024, 1)
    return found


def rasa_peak_mb(by_process: dict[str, float]) -> float:
    """The largest Rasa process (the one the 1.2 GB target is about)."""
    return max((mb for name, mb in by_process.items() if name.startswith("rasa")), default=0.0)


def _cpu_ticks(pid: int) -> int | None:
    """User + system clock ticks a process has used so far (None if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # after "pid (comm)": fields[0] is field 3
    return int(fields[11]) + int(fields[12])  # utime, stime


def _service_pids(names: tuple[str, ...] = SERVICES) -> dict[int, str]:
    """Processes of the local database and cache servers, by their command name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        for name in names:
            if comm.startswith(name):
                found[int(entry.name)] = name
    return found


def cpu_snapshot(stack_pids: list[int]) -> dict[str, dict[int, int]]:
    """{name: {pid: ticks}}: each of the stack's processes, this one, and the services
    (all PostgreSQL backends under one name)."""
    groups: dict[str, dict[int, int]] = {}
    labelled = process_names(stack_pids)
    labelled[os.getpid()] = "load generator"
    labelled.update(_service_pids())
    for pid, name in labelled.items():
        ticks = _cpu_ticks(pid)
        if ticks is not None:
            groups.setdefault(name, {})[pid] = ticks
    return groups


def cpu_share(before: dict[str, dict[int, int]], after: dict[str, dict[int, int]],
              seconds: float) -> dict[str, float]:  # fmt: skip
    """Percent of one core each group used between two snapshots (100 = one core busy)."""
    tick_s = 1.0 / os.sysconf("SC_CLK_TCK")
    shares = {}
    for name, pids in after.items():
        used = sum(t - before.get(name, {}).get(pid, 0) for pid, t in pids.items())
        shares[name] = round(100.0 * used * tick_s / seconds, 1) if seconds > 0 else 0.0
    return dict(sorted(shares.items(), key=lambda item: -item[1]))
