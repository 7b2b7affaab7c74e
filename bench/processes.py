"""Peak resident memory (VmHWM) of every process of a running stack, from /proc."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional


def _status(pid: int) -> Dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _command(pid: int) -> List[str]:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def label(command: List[str]) -> str:
    """A short name for a BackChat process from its command line."""
    text = " ".join(command)
    for marker, name in (
        ("bot.stack", "stack"),
        ("rasa_sdk", "actions"),
        ("bot.web", "web"),
        ("bot.rasa_server", "rasa"),
        ("rasa run", "rasa"),
        ("-m rasa", "rasa"),
        ("multiprocessing", "rasa worker"),
    ):
        if marker in text:
            return name
    return command[0].rsplit("/", 1)[-1] if command else "?"


def peak_rss_mb(pids: List[int]) -> Dict[str, float]:
    """{label: peak RSS in MiB}; Sanic workers (forked, same command) get numbered."""
    found: Dict[str, float] = {}
    parents: Dict[int, Optional[int]] = {}
    names: Dict[int, str] = {}
    for pid in pids:
        try:
            status = _status(pid)
            names[pid] = label(_command(pid))
        except OSError:
            continue
        parents[pid] = int(status.get("PPid", "0"))
        kib = int(status.get("VmHWM", "0 kB").split()[0])
        name = names[pid]
        if parents[pid] in names and names[parents[pid]] == "rasa" and name == "rasa":
            name = "rasa worker"
        key, n = name, 1
        while key in found:
            n += 1
            key = f"{name} {n}"
        found[key] = round(kib / 1024, 1)
    return found


def rasa_peak_mb(by_process: Dict[str, float]) -> float:
    """The largest Rasa process (the one the 1.2 GB target is about)."""
    return max((mb for name, mb in by_process.items() if name.startswith("rasa")), default=0.0)
