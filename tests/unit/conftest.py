"""Fixtures shared by the unit tests."""

import pytest

from tests.support.nlp import shared_nlp


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    """A fresh BACKCHAT_VAR_DIR, with no database URL or retention from the environment."""
    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    for name in (
        "BACKCHAT_TRACKER_DB_URL",
        "BACKCHAT_STAFF_DB_URL",
        "BACKCHAT_STAFF_RETENTION_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def nlp():
    """The BackChat spaCy pipeline (``build_nlp()``), built once per session."""
    return shared_nlp()
