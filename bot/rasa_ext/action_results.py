"""A fast check of action-server answers against Rasa's own schema, with the same verdict.

Rasa's schema (``RemoteAction.action_response_format_spec``) describes each event as
``oneOf`` ~30 event types, each pinned by ``"event": {"const": name}``. A general
validator, jsonschema or fastjsonschema alike, tries every type for every event
(docs/performance.md has the cost). Since the types' ``const`` names differ, an event matches
``oneOf`` exactly when it matches the one type its ``event`` names, so each type is
compiled once on its own and an event is checked against that type only.

:func:`compile_check` returns a function that raises ``InvalidAnswer`` where the schema
would refuse the answer; the caller then runs Rasa's own validation for Rasa's error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastjsonschema


class InvalidAnswer(ValueError):
    """The answer does not match the schema."""


def _split_events(schema: dict[str, Any]) -> tuple:
    """(schema with events as a bare array, the event item's base, {type: alternative})."""
    events = schema["properties"]["events"]
    item = events["items"]
    base = {key: value for key, value in item.items() if key != "oneOf"}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for alternative in item["oneOf"]:
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str):
            raise ValueError("every event type must pin its name with a const")
        by_type.setdefault(name, []).append(alternative)
    if any(len(alternatives) > 1 for alternatives in by_type.values()):
        raise ValueError("two event types share a name: oneOf cannot be split")
    outer_events = {key: value for key, value in events.items() if key != "items"}
    outer = {**schema, "properties": {**schema["properties"], "events": outer_events}}
    return outer, base, {name: alternatives[0] for name, alternatives in by_type.items()}


def compile_check(schema: dict[str, Any]) -> Callable[[Any], None]:
    """A function raising :class:`InvalidAnswer` for answers the schema refuses."""
    outer, base, by_type = _split_events(schema)
    check_outer = fastjsonschema.compile(outer)
    check_type = {
        name: fastjsonschema.compile({**base, "allOf": [alternative]})
        for name, alternative in by_type.items()
    }

    def check(answer: Any) -> None:
        try:
            check_outer(answer)
            for event in answer.get("events") or ():
                name = event.get("event") if isinstance(event, dict) else None
                if not isinstance(name, str) or name not in check_type:
                    raise InvalidAnswer(f"no event type {name!r}")
                check_type[name](event)
        except fastjsonschema.JsonSchemaException as error:
            raise InvalidAnswer(str(error)) from error

    return check
