"""One real embedded stack for the bad-input tests; the fault tests start their own."""

import pytest

from bot.clinic import load_clinic
from bot.harness.stack import RunningStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("var")).start()
    yield running
    assert running.stop() == 0


@pytest.fixture(scope="session")
def clinic():
    return load_clinic()
