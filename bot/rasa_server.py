"""``python -m bot.rasa_server run ...``: Rasa's command line, three fixes first.

* Rasa 3.6 waits up to 5 minutes for each call to the action server (the constant
  ``DEFAULT_REQUEST_TIMEOUT`` in ``rasa.core.actions.action``; no setting changes it). A
  hung action server would then hold the conversation's lock for minutes and every later
  message of that visitor would wait behind it. It becomes ``BACKCHAT_ACTION_TIMEOUT_S``
  (default 10 s); the visitor hears from :mod:`bot.channels.guard` well before (4.5 s).
* Rasa checks every action-server answer with ``jsonschema.validate``, which first checks
  the schema itself against the JSON-Schema meta-schema, on every call: 2.1 ms of 2.4 ms,
  three times per turn. The same validation runs here with a validator built once.
* Rasa finds the class of every stored event it loads by walking all subclasses of
  ``Event`` (``all_subclasses``, 5.7 % of the Rasa process's time under load: a tracker
  holds dozens of events and is loaded every turn). The same lookup is remembered here.

The Rasa API token is read from ``BACKCHAT_API_TOKEN`` and added to the arguments here,
so that it never appears on a command line (``ps`` shows those to every local user).

Then Rasa's own ``main`` runs unchanged.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence

from bot.settings import API_TOKEN_ENV

ACTION_TIMEOUT_ENV = "BACKCHAT_ACTION_TIMEOUT_S"
DEFAULT_ACTION_TIMEOUT_S = 10


def action_timeout_s(env: Optional[Mapping[str, str]] = None) -> int:
    """``BACKCHAT_ACTION_TIMEOUT_S`` as whole seconds from 1 to 300, else 10."""
    raw = (os.environ if env is None else env).get(ACTION_TIMEOUT_ENV) or ""
    if not raw.strip().isdigit():
        return DEFAULT_ACTION_TIMEOUT_S
    return min(max(int(raw), 1), 300)


def validate_with_a_prebuilt_validator(remote_action_class: type) -> None:
    """Rasa's action-result validation, same schema and errors, the validator built once."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    schema = remote_action_class.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    original = remote_action_class._validate_action_result

    def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        return original(self, result)  # Rasa's own message and exception

    remote_action_class._validate_action_result = _validate_action_result


def remember_event_classes(event_class: type) -> None:
    """``Event.resolve_by_type`` with its answers remembered (same classes, same errors)."""
    original = event_class.resolve_by_type
    known: Dict[str, type] = {}

    def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
        found = known.get(type_name)
        if found is None:
            found = original(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    event_class.resolve_by_type = staticmethod(resolve_by_type)


def with_api_token(argv: Sequence[str], env: Mapping[str, str]) -> List[str]:
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
    from rasa.__main__ import main as rasa_main
    from rasa.shared.core.events import Event

    rasa_actions.DEFAULT_REQUEST_TIMEOUT = action_timeout_s()
    validate_with_a_prebuilt_validator(rasa_actions.RemoteAction)
    remember_event_classes(Event)
    sys.argv = with_api_token(sys.argv, os.environ)
    rasa_main()


if __name__ == "__main__":
    main()
