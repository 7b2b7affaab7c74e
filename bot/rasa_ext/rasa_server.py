"""``python -m bot.rasa_ext.rasa_server run ...``: Rasa's command line, four fixes first.

* Rasa 3.6 waits up to 5 minutes for each call to the action server (the constant
  ``DEFAULT_REQUEST_TIMEOUT`` in ``rasa.core.actions.action``; no setting changes it). A
  hung action server would then hold the conversation's lock for minutes and every later
  message of that visitor would wait behind it. It becomes ``BACKCHAT_ACTION_TIMEOUT_S``
  (default 10 s); the visitor hears from :mod:`bot.channels.guard` well before (4.5 s).
* Rasa checks every action-server answer with ``jsonschema.validate``, which first checks
  the schema itself against the JSON-Schema meta-schema, on every call (most of the
  call's time), then tries each event against every one of its ~30 event types
  (``oneOf``), two calls per triage turn. :mod:`bot.rasa_ext.action_results` checks each
  event against the one type it names (same verdict, far faster); an answer
  it refuses goes through Rasa's own validation, so the error and its message are Rasa's.
* Rasa opens a new HTTP client session, and so a new TCP connection, for every action
  call (``EndpointConfig.request``), and the action server accepts one every time. Each
  Rasa process now keeps one session per endpoint, with connections kept alive for
  ``KEEPALIVE_S`` (shorter than the action server's idle timeout, so that Rasa never
  sends on a connection the server is closing), which makes each call faster.
* Rasa finds the class of every stored event it loads by walking all subclasses of
  ``Event`` (``all_subclasses``: a tracker holds dozens of events and is loaded every
  turn). The same lookup is remembered here.

The figures behind these fixes are in docs/performance.md ("Where a turn's time goes").

The Rasa API token is read from ``BACKCHAT_API_TOKEN`` and added to the arguments here,
so that it never appears on a command line (``ps`` shows those to every local user).

Then Rasa's own ``main`` runs unchanged.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from bot.runtime.env import env_int
from bot.runtime.settings import API_TOKEN_ENV

ACTION_TIMEOUT_ENV = "BACKCHAT_ACTION_TIMEOUT_S"
DEFAULT_ACTION_TIMEOUT_S = 10
MAX_ACTION_TIMEOUT_S = 300
KEEPALIVE_S = (
    2.0  # below the action server's idle timeout: 120 s in bot.runtime.stack, Sanic's default 5 s
)
_kept_sessions: list[Any] = []  # this process's kept sessions, closed when it stops


def action_timeout_s(env: Mapping[str, str] | None = None) -> int:
    """``BACKCHAT_ACTION_TIMEOUT_S`` as whole seconds from 1 to 300, else 10."""
    env = os.environ if env is None else env
    return env_int(env, ACTION_TIMEOUT_ENV, DEFAULT_ACTION_TIMEOUT_S, 1, MAX_ACTION_TIMEOUT_S)


def validate_with_the_fast_check(remote_action_class: type) -> None:
    """Rasa's action-result validation, same schema, checked fast; Rasa's errors."""
    from bot.rasa_ext.action_results import InvalidAnswer, compile_check

    check = compile_check(remote_action_class.action_response_format_spec())
    original = remote_action_class._validate_action_result

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            check(result)
            return True
        except InvalidAnswer:
            return original(self, result)  # Rasa's own message and exception

    remote_action_class._validate_action_result = _validate_action_result


def keep_connections(endpoint_class: type, keepalive_s: float = KEEPALIVE_S) -> None:
    """``EndpointConfig.session`` returns one kept session per endpoint and event loop.

    Rasa's ``request`` enters ``async with self.session() as session`` and so closes the
    session after each call; the session handed out here is not closed by that, and its
    connections stay open for ``keepalive_s`` between calls. Same headers, basic auth
    and default timeout as Rasa's own session; a request's own ``timeout`` still wins.
    """
    import asyncio

    import aiohttp
    import rasa.utils.endpoints as rasa_endpoints

    def session(self: Any) -> contextlib.nullcontext:
        loop = asyncio.get_running_loop()
        kept = self.__dict__.setdefault("_backchat_sessions", {})
        current = kept.get(loop)
        if current is None or current.closed:
            auth = self.basic_auth
            current = kept[loop] = aiohttp.ClientSession(
                headers=self.headers,
                auth=aiohttp.BasicAuth(auth["username"], auth["password"]) if auth else None,
                timeout=aiohttp.ClientTimeout(total=rasa_endpoints.DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=keepalive_s),
            )
            _kept_sessions.append(current)
        return contextlib.nullcontext(current)  # ``async with`` leaves it open

    endpoint_class.session = session


async def close_kept_sessions() -> None:
    """Closes this process's kept sessions (Rasa's ``after_server_stop``, tests)."""
    while _kept_sessions:
        await _kept_sessions.pop().close()


def close_kept_sessions_on_stop(run_module: Any) -> None:
    """Rasa's ``close_resources`` (run after the server stops), then the kept sessions."""
    original = run_module.close_resources

    async def close_resources(*args: Any) -> None:
        await original(*args)
        await close_kept_sessions()

    run_module.close_resources = close_resources


def remember_event_classes(event_class: type) -> None:
    """``Event.resolve_by_type`` with its answers remembered (same classes, same errors)."""
    original = event_class.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = known.get(type_name)
        if found is None:
            found = original(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    event_class.resolve_by_type = staticmethod(resolve_by_type)


def with_api_token(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """``argv`` plus ``--auth-token`` from ``BACKCHAT_API_TOKEN`` when the API is enabled.

    An explicit ``--auth-token`` is kept as it is.
    """
    argv = list(argv)
    token = env.get(API_TOKEN_ENV, "")
    if "--enable-api" in argv and "--auth-token" not in argv and token:
        argv += ["--auth-token", token]
    return argv


def main() -> None:
    """Bound and speed up action calls and event loading, then run Rasa's command line."""
    import rasa.core.actions.action as rasa_actions
    import rasa.core.run as rasa_run
    from rasa.__main__ import main as rasa_main
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig

    rasa_actions.DEFAULT_REQUEST_TIMEOUT = action_timeout_s()
    validate_with_the_fast_check(rasa_actions.RemoteAction)
    keep_connections(EndpointConfig)
    close_kept_sessions_on_stop(rasa_run)
    remember_event_classes(Event)
    sys.argv = with_api_token(sys.argv, os.environ)
    rasa_main()


if __name__ == "__main__":
    main()
