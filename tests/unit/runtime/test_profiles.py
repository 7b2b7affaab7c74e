"""Profiles from the environment: embedded by default, production with shared services."""

import pytest
import yaml

from bot.runtime.env import SettingsError
from bot.runtime.profiles import BROKER_ENDPOINTS, ENDPOINTS, Profile, load_profile
from bot.runtime.settings import load_settings

PRODUCTION = {
    "BACKCHAT_PROFILE": "production",
    "BACKCHAT_DATABASE_URL": "postgresql://bc:secret@db:5432/backchat",
    "BACKCHAT_REDIS_URL": "redis://:pw@redis:6379/1",
}


def test_the_embedded_profile_is_the_default_and_keeps_endpoints_yml(tmp_path):
    profile = load_profile({})
    assert profile == Profile()
    assert profile.endpoints_file(tmp_path) == ENDPOINTS["embedded"]
    assert profile.child_environment(load_settings({"BACKCHAT_VAR_DIR": str(tmp_path)})) == {}
    assert profile.checks() == []


def test_production_reads_the_shared_services():
    profile = load_profile({**PRODUCTION, "BACKCHAT_RASA_WORKERS": "2"})
    assert profile.is_production and profile.rasa_workers == 2
    env = profile.child_environment(load_settings({}))
    assert env["BACKCHAT_DATABASE_URL"] == PRODUCTION["BACKCHAT_DATABASE_URL"]
    assert env["BACKCHAT_REDIS_URL"] == PRODUCTION["BACKCHAT_REDIS_URL"]
    assert env["BACKCHAT_REDIS_KEY_PREFIX"] == "backchat"
    assert env["BACKCHAT_ACTIONS_URL"] == "http://127.0.0.1:5055"
    assert "SANIC_WORKERS" not in env  # bot.runtime.stack gives it to the Rasa server only
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert [check.service for check in profile.checks()] == ["PostgreSQL", "Redis"]


def test_the_staff_app_reads_the_tracker_database_unless_told_otherwise():
    profile = load_profile(PRODUCTION)
    assert profile.staff_environment({}) == {
        "BACKCHAT_TRACKER_DB_URL": PRODUCTION["BACKCHAT_DATABASE_URL"]
    }
    assert profile.staff_environment({"BACKCHAT_TRACKER_DB_URL": "postgresql://x/y"}) == {}
    assert Profile().staff_environment({}) == {}


@pytest.mark.parametrize(
    "env, message",
    [
        ({"BACKCHAT_PROFILE": "cluster"}, "BACKCHAT_PROFILE"),
        ({"BACKCHAT_RASA_WORKERS": "2"}, "embedded profile runs one Rasa process"),
        ({**PRODUCTION, "BACKCHAT_DATABASE_URL": ""}, "needs BACKCHAT_DATABASE_URL"),
        ({**PRODUCTION, "BACKCHAT_DATABASE_URL": "postgres://db/x"}, "postgresql"),
        ({**PRODUCTION, "BACKCHAT_DATABASE_URL": "sqlite:///x.db"}, "BACKCHAT_DATABASE_URL"),
        ({**PRODUCTION, "BACKCHAT_REDIS_URL": "localhost"}, "BACKCHAT_REDIS_URL"),
        ({**PRODUCTION, "BACKCHAT_RASA_WORKERS": "0"}, "BACKCHAT_RASA_WORKERS"),
        ({**PRODUCTION, "BACKCHAT_REDIS_KEY_PREFIX": "a-b"}, "letters and digits"),
        ({**PRODUCTION, "BACKCHAT_RABBITMQ_URL": "http://mq"}, "BACKCHAT_RABBITMQ_URL"),
    ],
)
def test_a_wrong_setting_is_refused_with_its_name(env, message):
    with pytest.raises(SettingsError, match=message):
        load_profile(env)


def test_a_rabbitmq_url_adds_the_event_broker_to_the_endpoints(tmp_path):
    profile = load_profile(
        {**PRODUCTION, "BACKCHAT_RABBITMQ_URL": "amqp://user:p%40ss@mq:5673/vhost"}
    )
    path = profile.endpoints_file(tmp_path)
    assert path.parent == tmp_path
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["event_broker"]["type"] == "pika"
    assert (
        endpoints["tracker_store"]
        == yaml.safe_load(ENDPOINTS["production"].read_text())["tracker_store"]
    )
    env = profile.child_environment(load_settings({}))
    assert (env["BACKCHAT_RABBITMQ_USER"], env["BACKCHAT_RABBITMQ_PASSWORD"]) == ("user", "p@ss")
    assert env["BACKCHAT_RABBITMQ_PORT"] == "5673"
    assert [check.service for check in profile.checks()][-1] == "RabbitMQ"


def test_every_variable_the_production_endpoints_read_is_set_by_the_profile():
    import re

    text = ENDPOINTS["production"].read_text() + BROKER_ENDPOINTS.read_text()
    used = set(re.findall(r"\$\{(\w+)\}", text))
    profile = load_profile({**PRODUCTION, "BACKCHAT_RABBITMQ_URL": "amqp://mq"})
    assert used <= set(profile.child_environment(load_settings({})))


def test_the_production_endpoints_use_the_bounded_and_atomic_stores():
    endpoints = yaml.safe_load(ENDPOINTS["production"].read_text())
    assert endpoints["tracker_store"]["type"] == "bot.rasa_ext.tracker_store.BoundedSQLTrackerStore"
    assert endpoints["lock_store"]["type"] == "bot.rasa_ext.lock_store.AtomicRedisLockStore"
