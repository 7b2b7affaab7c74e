"""The benchmark records the CPU time the hypervisor gave to other guests."""

import pytest

from bench.machine import cpu_model, cpu_ticks, read_cpu_ticks, steal_percent
from bench.report import steal_note

STAT = """cpu  4705 150 1120 16250 520 0 30 2600 40 0
cpu0 2352 75 560 8125 260 0 15 1300 20 0
intr 1 2 3
"""


def test_steal_and_total_come_from_the_cpu_line_without_guest_time():
    assert cpu_ticks(STAT) == (2600, 4705 + 150 + 1120 + 16250 + 520 + 0 + 30 + 2600)


def test_a_kernel_without_a_steal_column_reports_none():
    assert cpu_ticks("cpu  10 0 5 100\n") == (0, 115)


def test_other_text_is_refused():
    with pytest.raises(ValueError):
        cpu_ticks("intr 1 2 3\n")


def test_steal_percent_is_the_share_of_elapsed_ticks():
    assert steal_percent((100, 1000), (400, 2000)) == 30.0
    assert steal_percent((100, 1000), (100, 1000)) == 0.0


def test_this_machine_counts_ticks():
    steal, total = read_cpu_ticks()
    assert total > 0 and 0 <= steal <= total


def test_the_report_mentions_steal_only_when_there_was_some():
    assert steal_note(27.4) == " (CPU steal 27 %)"
    assert steal_note(0.3) == "" and steal_note(None) == ""


def test_cpu_model_is_the_first_model_name_line():
    text = (
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n"
        "\nmodel name\t: other\n"
    )
    assert cpu_model(text) == "AMD EPYC 7B13"
    assert cpu_model("processor\t: 0\n") == ""
