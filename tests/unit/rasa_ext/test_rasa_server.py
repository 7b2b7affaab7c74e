"""The Rasa entry point bounds the action-server call (Rasa's own default is 5 minutes)."""

import functools
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rasa_ext.rasa_server import DEFAULT_ACTION_TIMEOUT_S, action_timeout_s, with_api_token
from bot.runtime.env import SettingsError


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, DEFAULT_ACTION_TIMEOUT_S), ("", 10), ("3", 3), ("300", 300)]
)
def test_action_timeout_from_the_environment(raw, expected):
    env = {} if raw is None else {"BACKCHAT_ACTION_TIMEOUT_S": raw}
    assert action_timeout_s(env) == expected


@pytest.mark.parametrize("raw", ["0", "9999", "2.5", "soon"])
def test_a_bad_action_timeout_is_refused_with_its_name(raw):
    with pytest.raises(SettingsError, match="BACKCHAT_ACTION_TIMEOUT_S"):
        action_timeout_s({"BACKCHAT_ACTION_TIMEOUT_S": raw})


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
    """Runs ``bot.rasa_ext.rasa_server.main`` in a fresh Python whose Rasa main prints that."""
    probe = (
        "import sys, rasa.__main__ as m, rasa.core.actions.action as a\n"
        "import rasa.core.run as r, rasa.shared.core.events as e, rasa.utils.endpoints as u\n"
        f"m.main = lambda: print({prints})\n"
        "from bot.rasa_ext.rasa_server import main\n"
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


def fast_checked_action_class():
    from rasa.core.actions.action import RemoteAction

    from bot.rasa_ext.rasa_server import validate_with_the_fast_check

    class Action(RemoteAction):  # a subclass, so that Rasa's own class stays untouched
        pass

    validate_with_the_fast_check(Action)
    return Action("action_x", None)


def test_action_results_are_validated_as_rasa_does_with_the_fast_check():
    from jsonschema import ValidationError

    action = fast_checked_action_class()
    good = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"name": "no event key"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"responses": "not a list"})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"event": "slot", "timestamp": "noon"}]})


def rasa_event_dicts():
    """One real event of each kind an action may return, as Rasa serialises it."""
    from rasa.shared.core import events

    return [
        events.SlotSet("pain_location", "low_back").as_dict(),
        events.SlotSet("red_flags", ["saddle_anaesthesia"]).as_dict(),
        events.ActiveLoop("triage_form").as_dict(),
        events.ActiveLoop(None).as_dict(),
        events.FollowupAction("action_listen").as_dict(),
        events.BotUttered("hi", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}).as_dict(),
        events.UserUttered("hello", {"name": "greet", "confidence": 0.9}).as_dict(),
        events.Restarted().as_dict(),
        events.AllSlotsReset().as_dict(),
        events.ConversationPaused().as_dict(),
        events.ActionExecuted("utter_greet").as_dict(),
        events.SessionStarted().as_dict(),
        events.ReminderScheduled(
            "EXTERNAL_x", __import__("datetime").datetime(2027, 1, 1)
        ).as_dict(),
    ]


@functools.lru_cache(maxsize=1)
def both_validators():
    """Rasa's validation (jsonschema, the schema checked once) and the fast check."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    from bot.rasa_ext.action_results import compile_check

    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema), compile_check(schema)


def agree(result) -> None:
    """jsonschema (Rasa's) and the fast check accept and refuse the same answers."""
    from bot.rasa_ext.action_results import InvalidAnswer

    rasa_validator, fast_check = both_validators()
    rasa_says = rasa_validator.is_valid(result)
    try:
        fast_check(result)
        fast_says = True
    except InvalidAnswer:
        fast_says = False
    assert fast_says == rasa_says, result


@pytest.mark.parametrize("event", rasa_event_dicts(), ids=lambda e: e["event"])
def test_every_kind_of_real_event_is_accepted_by_both(event):
    agree({"events": [event], "responses": []})
    agree({"events": [{**event, "timestamp": "yesterday"}]})  # refused by both
    agree({"events": [{k: v for k, v in event.items() if k != "event"}]})


@pytest.mark.parametrize(
    "result",
    [
        {},
        {"events": []},
        {"events": "slot"},
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"event": "slot", "name": 3}]},
        {"events": [{"event": "user", "parse_data": "text"}]},
        {"events": [{"event": "bot", "text": None, "data": {}}]},
        {"responses": [{"text": "hi"}, "not an object"]},
        {"responses": [{"text": "hi", "buttons": []}], "events": [None]},
        [],
        "text",
    ],
)
def test_hand_made_answers_get_the_same_verdict(result):
    agree(result)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["event", "name", "value", "timestamp", "text"]), children, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(
        st.fixed_dictionaries(
            {"event": st.sampled_from(["slot", "bot", "user", "action", "active_loop", "x"])},
            optional={
                "name": json_values,
                "value": json_values,
                "timestamp": json_values,
                "text": json_values,
            },
        ),
        max_size=3,
    ),
    responses=json_values,
)
def test_generated_answers_get_the_same_verdict(events, responses):
    agree({"events": events, "responses": responses})


def test_remembered_event_classes_are_the_ones_rasa_finds():
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    from bot.rasa_ext.rasa_server import remember_event_classes

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
    last = last_line_of_main("e.Event.resolve_by_type.__qualname__", {})
    assert "remember_event_classes" in last


async def start_server(handler, port: int = 0):
    """An aiohttp server on 127.0.0.1 answering POST /webhook; (runner, its port)."""
    from aiohttp import web

    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def serve_and_call(endpoint_class, calls: int, handler_delay_s: float = 0.0, timeout=None):
    """Runs an HTTP server, makes ``calls`` requests through ``endpoint_class``; returns
    (answers, the distinct client ports the server saw, the Authorization headers)."""
    import asyncio

    from aiohttp import web

    from bot.rasa_ext.rasa_server import close_kept_sessions

    ports, auth_headers = set(), []

    async def handler(request):
        ports.add(request.transport.get_extra_info("peername")[1])
        auth_headers.append(request.headers.get("Authorization"))
        await asyncio.sleep(handler_delay_s)
        return web.json_response({"n": len(auth_headers)})

    async def scenario():
        runner, port = await start_server(handler)
        endpoint = endpoint_class(
            f"http://127.0.0.1:{port}/webhook", basic_auth={"username": "u", "password": "p"}
        )
        try:
            extra = {"timeout": timeout} if timeout else {}
            return [await endpoint.request(json={"x": 1}, **extra) for _ in range(calls)]
        finally:
            await close_kept_sessions()
            await runner.cleanup()

    answers = asyncio.run(scenario())
    return answers, ports, auth_headers


def kept_endpoint_class():
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_ext.rasa_server import keep_connections

    class Endpoint(EndpointConfig):  # a subclass, so that Rasa's own class stays untouched
        pass

    keep_connections(Endpoint)
    return Endpoint


def test_rasa_opens_a_connection_per_action_call():
    from rasa.utils.endpoints import EndpointConfig

    answers, ports, _ = serve_and_call(EndpointConfig, 4)
    assert [a["n"] for a in answers] == [1, 2, 3, 4]
    assert len(ports) == 4


def test_kept_connections_serve_every_call_on_one_connection_with_the_same_auth():
    answers, ports, auth_headers = serve_and_call(kept_endpoint_class(), 4)
    assert [a["n"] for a in answers] == [1, 2, 3, 4]
    assert len(ports) == 1
    assert auth_headers == ["Basic dTpw"] * 4  # base64 of "u:p", as Rasa's own session sends


def test_a_request_timeout_still_applies_to_a_kept_session():
    import asyncio

    with pytest.raises(asyncio.TimeoutError):
        serve_and_call(kept_endpoint_class(), 1, handler_delay_s=1.0, timeout=0.2)


def test_the_entry_point_keeps_connections_and_checks_answers_fast():
    last = last_line_of_main(
        "u.EndpointConfig.session.__qualname__,"
        " a.RemoteAction._validate_action_result.__qualname__, r.close_resources.__qualname__",
        {},
    )
    assert "keep_connections" in last and "validate_with_the_fast_check" in last
    assert "close_kept_sessions_on_stop" in last


def test_stopping_the_server_runs_rasas_cleanup_then_closes_the_kept_sessions():
    import asyncio
    import types

    from bot.rasa_ext.rasa_server import close_kept_sessions_on_stop

    calls = []

    async def rasa_close_resources(app, loop):
        calls.append((app, loop))

    run_module = types.SimpleNamespace(close_resources=rasa_close_resources)
    close_kept_sessions_on_stop(run_module)

    async def scenario():
        endpoint = kept_endpoint_class()("http://127.0.0.1:9/none")
        async with endpoint.session() as session:
            pass
        assert not session.closed  # kept open after its use
        await run_module.close_resources("app", "loop")
        return session

    session = asyncio.run(scenario())
    assert calls == [("app", "loop")]
    assert session.closed


def test_after_the_action_server_restarts_the_next_call_reconnects():
    import asyncio

    from aiohttp import web

    from bot.rasa_ext.rasa_server import close_kept_sessions

    async def handler(request):
        return web.json_response({"port": request.transport.get_extra_info("peername")[1]})

    async def scenario():
        runner, port = await start_server(handler)
        endpoint = kept_endpoint_class()(f"http://127.0.0.1:{port}/webhook")
        try:
            first = await endpoint.request(json={})
            await runner.cleanup()  # the action server stops, closing its connections
            runner, _ = await start_server(handler, port)  # and comes back on the same port
            second = await endpoint.request(json={})
            third = await endpoint.request(json={})
            return first, second, third
        finally:
            await close_kept_sessions()
            await runner.cleanup()

    first, second, third = asyncio.run(scenario())
    assert second["port"] != first["port"]  # a new connection after the restart
    assert third["port"] == second["port"]  # then kept again
