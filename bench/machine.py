"""The machine's state during a run: CPU time taken by the hypervisor for other guests.

On a shared virtual machine, "steal" is time this machine's CPUs were ready to run but
the host ran someone else. It moves the benchmark's figures by tens of percent, so each
level records it next to its results.
"""

from __future__ import annotations

from pathlib import Path

PROC_STAT = Path("/proc/stat")


def cpu_ticks(stat_text: str) -> tuple[int, int]:
    """(steal, total) clock ticks of all CPUs from the first line of ``/proc/stat``."""
    fields = stat_text.splitlines()[0].split()
    if fields[0] != "cpu":
        raise ValueError("not /proc/stat: the first line must start with 'cpu'")
    ticks = [int(value) for value in fields[1:]]
    # user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is
    # already counted in user and nice, so only the first eight add up to the total
    steal = ticks[7] if len(ticks) > 7 else 0
    return steal, sum(ticks[:8])


def read_cpu_ticks() -> tuple[int, int]:
    """(steal, total) now; (0, 0) where there is no ``/proc/stat``."""
    try:
        return cpu_ticks(PROC_STAT.read_text())
    except (OSError, ValueError, IndexError):
        return 0, 0


def steal_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Share of CPU time stolen between two readings, in percent (0 if none elapsed)."""
    total = after[1] - before[1]
    return round(100.0 * (after[0] - before[0]) / total, 1) if total > 0 else 0.0


def cpu_model(cpuinfo_text: str) -> str:
    """The processor's name from ``/proc/cpuinfo`` text ("" if it does not say)."""
    for line in cpuinfo_text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return ""


def read_cpu_model() -> str:
    try:
        return cpu_model(Path("/proc/cpuinfo").read_text())
    except OSError:
        return ""
