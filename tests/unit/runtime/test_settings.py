"""Ports, state folder and API token from the environment."""

import stat

import pytest

from bot.runtime.env import SettingsError
from bot.runtime.settings import api_token, load_settings


def test_defaults(tmp_path):
    settings = load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)})
    assert (settings.rasa_port, settings.actions_port, settings.web_port) == (5005, 5055, 8000)
    assert settings.host == "127.0.0.1"
    assert settings.tracker_db == tmp_path / "tracker.db"


def test_overrides_reach_the_children(tmp_path):
    env = {
        "BACKCHAT_RASA_PORT": "6005",
        "BACKCHAT_ACTIONS_PORT": "6055",
        "BACKCHAT_WEB_PORT": "9000",
        "BACKCHAT_VAR_DIR": str(tmp_path),
    }
    settings = load_settings(env)
    child = settings.child_environment({"PATH": "/bin"})
    assert child["BACKCHAT_ACTIONS_PORT"] == "6055"
    assert child["BACKCHAT_VAR_DIR"] == str(tmp_path)
    assert settings.rasa_url == "http://127.0.0.1:6005"


def test_children_get_one_blas_thread_unless_the_operator_chose():
    settings = load_settings({})
    assert settings.child_environment({})["OPENBLAS_NUM_THREADS"] == "1"
    assert settings.child_environment({"OMP_NUM_THREADS": "4"})["OMP_NUM_THREADS"] == "4"


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_a_bad_port_is_refused(value):
    with pytest.raises(SettingsError, match="BACKCHAT_WEB_PORT"):
        load_settings({"BACKCHAT_WEB_PORT": value})


def test_ports_must_differ():
    with pytest.raises(SettingsError, match="differ"):
        load_settings({"BACKCHAT_WEB_PORT": "5005"})


def test_token_is_generated_once_with_mode_600_and_reused(tmp_path):
    first = api_token(tmp_path, {})
    path = tmp_path / "api-token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert api_token(tmp_path, {}) == first


def test_token_from_the_environment_wins(tmp_path):
    assert api_token(tmp_path, {"BACKCHAT_API_TOKEN": "from-env"}) == "from-env"
    assert not (tmp_path / "api-token").exists()
