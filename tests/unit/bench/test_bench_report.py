"""The benchmark's report says whether the throughput target is met."""

import pytest

from bench.report import paced_verdict


@pytest.mark.parametrize(
    ("conversations", "rate", "p95", "verdict"),
    [
        (50, 42.6, 461, "met"),
        (50, 39.9, 300, "missed"),
        (50, 45.0, 501, "missed"),
        (10, 45.0, 100, "missed"),
    ],
)
def test_paced_verdict(conversations, rate, p95, verdict):
    paced = {"conversations": conversations, "msgs_per_s": rate, "p95_ms": p95}
    assert paced_verdict(paced).endswith(f": {verdict}")
