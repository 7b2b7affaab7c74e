"""One real Rasa server for all channel tests of a session (tests/channels/server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.channels.server import MODEL, RasaServer, running_rasa


@pytest.fixture(scope="session")
def rasa(tmp_path_factory) -> Iterator[RasaServer]:
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make train`")
    with running_rasa(tmp_path_factory.mktemp("channels-var")) as server:
        yield server
