"""The Rasa entry point bounds the action-server call (Rasa's own default is 5 minutes)."""

import subprocess
import sys

import pytest

from bot.rasa_server import DEFAULT_ACTION_TIMEOUT_S, action_timeout_s, with_api_token


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, DEFAULT_ACTION_TIMEOUT_S), ("", 10), ("3", 3), ("0", 1), ("9999", 300), ("2.5", 10)],
)
def test_action_timeout_from_the_environment(raw, expected):
    env = {} if raw is None else {"BACKCHAT_ACTION_TIMEOUT_S": raw}
    assert action_timeout_s(env) == expected


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (
            ["run", "--enable-api"],
            {"BACKCHAT_API_TOKEN": "s3"},
            ["run", "--enable-api", "--auth-token", "s3"],
        ),
        (["run", "--enable-api"], {}, ["run", "--enable-api"]),
        (["run"], {"BACKCHAT_API_TOKEN": "s3"}, ["run"]),
        (
            ["run", "--enable-api", "--auth-token", "x"],
            {"BACKCHAT_API_TOKEN": "s3"},
            ["run", "--enable-api", "--auth-token", "x"],
        ),
    ],
)
def test_api_token_comes_from_the_environment_only_for_an_enabled_api(argv, env, expected):
    assert with_api_token(argv, env) == expected


def last_line_of_main(prints: str, env: dict) -> str:
    """Runs ``bot.rasa_server.main`` in a fresh Python whose Rasa main prints ``prints``."""
    probe = (
        "import sys, rasa.__main__ as m, rasa.core.actions.action as a\n"
        f"m.main = lambda: print({prints})\n"
        "from bot.rasa_server import main\n"
        "sys.argv = ['rasa', 'run', '--enable-api']\n"
        "main()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_the_entry_point_hands_rasa_the_token_from_the_environment():
    last = last_line_of_main("sys.argv[1:]", {"BACKCHAT_API_TOKEN": "from-env"})
    assert last == "['run', '--enable-api', '--auth-token', 'from-env']"


def test_the_entry_point_sets_rasas_action_timeout_before_running_rasa():
    last = last_line_of_main("a.DEFAULT_REQUEST_TIMEOUT", {"BACKCHAT_ACTION_TIMEOUT_S": "7"})
    assert last == "7"


def test_action_results_are_validated_as_rasa_does_with_one_validator():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    from bot.rasa_server import validate_with_a_prebuilt_validator

    class Action(RemoteAction):
        pass

    validate_with_a_prebuilt_validator(Action)
    action = Action("action_x", None)
    good = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"name": "no event key"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"responses": "not a list"})


def test_remembered_event_classes_are_the_ones_rasa_finds():
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    from bot.rasa_server import remember_event_classes

    class Events(events.Event):  # a stand-in, so that Rasa's own Event stays untouched
        resolve_by_type = staticmethod(events.Event.resolve_by_type)

    remember_event_classes(Events)
    for cls in all_subclasses(events.Event):
        if cls is not Events and cls.type_name != "event":
            assert Events.resolve_by_type(cls.type_name) is events.Event.resolve_by_type(
                cls.type_name
            )
            assert Events.resolve_by_type(cls.type_name) is not None  # remembered, same again
    assert Events.resolve_by_type("user") is events.UserUttered
    assert Events.resolve_by_type("topic") is None
    assert Events.resolve_by_type("no such", default=events.SlotSet) is events.SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Events.resolve_by_type("no such")


def test_loading_events_uses_the_remembered_lookup():
    probe = (
        "import rasa.__main__ as m\n"
        "from rasa.shared.core.events import Event\n"
        "m.main = lambda: print(Event.resolve_by_type.__qualname__)\n"
        "from bot.rasa_server import main\n"
        "main()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env={"PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "remember_event_classes" in out.stdout.strip().splitlines()[-1]
