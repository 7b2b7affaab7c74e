"""Staff settings from the environment, the generated secret, and the SVG charts."""

from __future__ import annotations

import stat

import pytest

from bot.runtime.env import SettingsError
from bot.runtime.settings import load_settings
from bot.web.staff import charts
from bot.web.staff.config import load_config


def test_defaults_read_the_tracker_db_in_the_state_folder(tmp_path):
    config = load_config(load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)}), {})
    assert config.tracker_url == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert config.staff_url == config.tracker_url
    assert str(config.timezone) == "UTC" and config.retention_days is None
    secret = tmp_path / "staff-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert config.secret == secret.read_text().strip().encode()
    again = load_config(load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)}), {})
    assert again.secret == config.secret  # generated once, then reused


def test_environment_overrides(tmp_path):
    env = {
        "BACKCHAT_TRACKER_DB_URL": "postgresql://db/tracker",
        "BACKCHAT_STAFF_DB_URL": "postgresql://db/staff",
        "BACKCHAT_STAFF_SECRET": "s3cret",
        "BACKCHAT_STAFF_TZ": "America/Edmonton",
        "BACKCHAT_STAFF_RETENTION_DAYS": "365",
        "BACKCHAT_STAFF_SECURE_COOKIE": "1",
    }
    config = load_config(load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)}), env)
    assert (config.tracker_url, config.staff_url) == (
        "postgresql://db/tracker",
        "postgresql://db/staff",
    )
    assert config.secret == b"s3cret" and not (tmp_path / "staff-secret").exists()
    assert str(config.timezone) == "America/Edmonton" and config.retention_days == 365
    assert config.force_secure_cookie


@pytest.mark.parametrize(
    "name, value",
    [("BACKCHAT_STAFF_TZ", "Mars/Olympus"), ("BACKCHAT_STAFF_RETENTION_DAYS", "0"),
     ("BACKCHAT_STAFF_LOW_CONFIDENCE", "high")],
)  # fmt: skip
def test_bad_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        load_config(load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)}), {name: value})


def test_charts_escape_labels():
    svg = str(charts.bars([("<script>x</script>", 3)], "Results & more"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Results &amp; more" in svg
    columns = str(charts.columns([("1 Mar", 0), ("2 Mar", 7)], "Per day"))
    assert columns.count("<rect") == 2 and ">10<" in columns  # axis rounded up to 10
    assert "No data" in str(charts.bars([], "Empty"))
