"""bot.runtime.stack builds each profile's servers: endpoints, workers, readiness, --only."""

import pytest

from bot.runtime.env import SettingsError
from bot.runtime.profiles import ENDPOINTS, load_profile
from bot.runtime.settings import load_settings
from bot.runtime.stack import (
    ACTIONS_KEEP_ALIVE_S,
    RASA_READY_LINE,
    Service,
    Stack,
    parse_only,
    services,
    storage,
    urls,
)

PRODUCTION = {
    "BACKCHAT_PROFILE": "production",
    "BACKCHAT_DATABASE_URL": "postgresql://bc:secret@db:5432/backchat",
    "BACKCHAT_REDIS_URL": "redis://redis:6379/1",
    "BACKCHAT_RASA_WORKERS": "3",
}


@pytest.fixture
def settings(tmp_path):
    return load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)})


def by_name(members):
    return {member.name: member for member in members}


def test_the_embedded_profile_starts_what_it_always_did(settings):
    members = by_name(services(settings, "tok", []))
    assert list(members) == ["actions", "rasa", "web"]
    rasa = members["rasa"].command
    assert rasa[rasa.index("--endpoints") + 1] == str(ENDPOINTS["embedded"])
    assert members["rasa"].ready_count == 1 and members["rasa"].ready_line == RASA_READY_LINE
    assert members["rasa"].env == {
        "SANIC_WORKERS": "1",
        "SANIC_REQUEST_MAX_SIZE": "1048576",  # Sanic's default is 100 MB
        "BACKCHAT_API_TOKEN": "tok",
    }
    assert members["web"].env == {}
    assert all("tok" not in member.command for member in members.values())  # not in `ps`


def test_production_gives_rasa_its_workers_and_the_web_app_the_database(settings, monkeypatch):
    monkeypatch.delenv("BACKCHAT_TRACKER_DB_URL", raising=False)
    members = by_name(services(settings, "tok", [], load_profile(PRODUCTION)))
    rasa = members["rasa"]
    assert rasa.command[rasa.command.index("--endpoints") + 1] == str(ENDPOINTS["production"])
    assert rasa.env["SANIC_WORKERS"] == "3" and rasa.ready_count == 3
    assert members["web"].env == {"BACKCHAT_TRACKER_DB_URL": PRODUCTION["BACKCHAT_DATABASE_URL"]}


def test_the_action_server_keeps_connections_open_as_long_as_rasa_does(settings):
    actions = by_name(services(settings, "tok", []))["actions"]
    assert actions.env == {"SANIC_KEEP_ALIVE_TIMEOUT": ACTIONS_KEEP_ALIVE_S}
    assert int(ACTIONS_KEEP_ALIVE_S) >= 120


def test_only_runs_the_named_servers(settings):
    members = services(settings, "tok", [], only=parse_only("rasa"))
    assert [m.name for m in members] == ["rasa"]
    assert list(urls(settings, ["rasa"])) == [
        "Chat over HTTP (REST channel)",
        "Rasa HTTP API (token in var/api-token)",
    ]
    assert parse_only(None) == ["actions", "rasa", "web"]
    assert parse_only("actions, web") == ["actions", "web"]
    with pytest.raises(SettingsError, match="--only"):
        parse_only("rasa,nginx")


def test_rasa_is_ready_only_once_every_worker_has_loaded_the_model(settings, monkeypatch):
    monkeypatch.setattr("bot.runtime.stack._answers", lambda url: True)
    member = Service("rasa", [], "http://x", ready_line=RASA_READY_LINE, ready_count=2)
    stack = Stack(settings, [member])
    member.ready_seen = 1
    assert not stack._ready(member)
    member.ready_seen = 2
    assert stack._ready(member)


def test_the_stack_says_where_conversations_are_kept_without_the_password(settings):
    assert storage(settings, load_profile({})) == str(settings.tracker_db)
    shown = storage(settings, load_profile(PRODUCTION))
    assert shown == "PostgreSQL db:5432/backchat" and "secret" not in shown


def test_a_wrong_profile_setting_stops_the_stack_with_its_name(capsys, monkeypatch, tmp_path):
    from bot.runtime.stack import main

    monkeypatch.setenv("BACKCHAT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BACKCHAT_PROFILE", "production")
    monkeypatch.delenv("BACKCHAT_DATABASE_URL", raising=False)
    assert main([]) == 2
    assert "BackChat cannot start: BACKCHAT_PROFILE=production needs BACKCHAT_DATABASE_URL" in (
        capsys.readouterr().err
    )
