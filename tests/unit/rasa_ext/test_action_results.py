"""The fast check of action-server answers splits Rasa's oneOf by event name."""

import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_ext.action_results import InvalidAnswer, compile_check

SCHEMA = RemoteAction.action_response_format_spec()


def test_a_form_answer_passes_and_an_unknown_event_or_bad_field_does_not():
    check = compile_check(SCHEMA)
    check({"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "x"}]})
    check({})
    for bad in (
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"event": 7}]},
        {"events": [{"event": ["slot"]}]},
        {"events": ["slot"]},
        {"events": [{"event": "slot", "name": 3}]},
        {"events": {"event": "slot"}},
        {"responses": ["text"]},
        "an answer",
    ):
        with pytest.raises(InvalidAnswer):
            check(bad)


def test_every_event_type_of_rasas_schema_gets_its_own_check():
    names = {
        alt["properties"]["event"]["const"]
        for alt in SCHEMA["properties"]["events"]["items"]["oneOf"]
    }
    assert {"slot", "user", "bot", "action", "active_loop", "followup", "restart"} <= names
    check = compile_check(SCHEMA)
    for name in names:
        with pytest.raises(InvalidAnswer):
            check({"events": [{"event": name, "timestamp": "not a number"}]})


def schema_with(alternatives):
    return {
        "type": "object",
        "properties": {
            "events": {"type": "array", "items": {"type": "object", "oneOf": alternatives}}
        },
    }


def test_a_schema_whose_types_share_a_name_or_lack_one_is_refused():
    same = {"properties": {"event": {"const": "slot"}}}
    with pytest.raises(ValueError, match="share a name"):
        compile_check(schema_with([same, dict(same)]))
    with pytest.raises(ValueError, match="const"):
        compile_check(schema_with([{"properties": {"name": {"type": "string"}}}]))
