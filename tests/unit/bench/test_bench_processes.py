"""CPU accounting of the benchmark: who used the cores during the paced run."""

import os
import subprocess
import sys
import time

from bench.processes import cpu_share, cpu_snapshot


def test_share_is_ticks_used_over_elapsed_time_per_group():
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    before = {"rasa": {10: 0, 11: 100}, "postgres": {20: 50}}
    after = {"rasa": {10: ticks_per_s, 11: 100 + ticks_per_s}, "postgres": {20: 50}}
    assert cpu_share(before, after, 2.0) == {"rasa": 100.0, "postgres": 0.0}


def test_a_process_started_during_the_run_counts_from_zero_and_groups_are_sorted():
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    after = {"actions": {30: ticks_per_s // 2}, "rasa": {10: ticks_per_s}}
    assert list(cpu_share({}, after, 1.0).items()) == [("rasa", 100.0), ("actions", 50.0)]


def test_no_elapsed_time_gives_zero_not_a_division_error():
    assert cpu_share({}, {"rasa": {1: 5}}, 0.0) == {"rasa": 0.0}


def test_a_busy_child_process_is_measured_and_an_idle_one_is_not():
    spin = "import time\nend = time.time() + 3\nwhile time.time() < end: pass"
    busy = subprocess.Popen([sys.executable, "-c", spin])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
    try:
        time.sleep(0.3)
        before, start = cpu_snapshot([busy.pid, idle.pid]), time.monotonic()
        time.sleep(1.0)
        after = cpu_snapshot([busy.pid, idle.pid])
        elapsed = time.monotonic() - start
    finally:
        busy.kill()
        idle.kill()
    assert "load generator" in after  # this process, the one sending the messages
    by_pid = {pid: ticks for group in after.values() for pid, ticks in group.items()}
    old = {pid: ticks for group in before.values() for pid, ticks in group.items()}
    tick_s = 1.0 / os.sysconf("SC_CLK_TCK")
    assert (by_pid[busy.pid] - old[busy.pid]) * tick_s / elapsed > 0.5
    assert (by_pid[idle.pid] - old[idle.pid]) * tick_s / elapsed < 0.1
