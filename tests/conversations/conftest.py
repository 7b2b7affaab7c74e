"""One real stack for the conversation tests of a session."""

import pytest

from bot.harness.stack import RunningStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("var")).start()
    yield running
    assert running.stop() == 0, "Ctrl-C should stop the stack cleanly"
