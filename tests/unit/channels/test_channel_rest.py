"""The strict REST channel's body rules (the HTTP side is tested against the real server)."""

import pytest

from bot.channels.rest import BadRequest, GuardedRestInput, parse_message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"sender": "v1", "message": "hi"}, ("v1", "hi", {})),
        ({"sender": 42, "message": ""}, ("42", "", {})),
        (
            {"sender": " v1 ", "message": "hi", "metadata": {"page": "/x"}},
            ("v1", "hi", {"page": "/x"}),
        ),
        ({"sender": "v1", "message": "hi", "metadata": None}, ("v1", "hi", {})),
    ],
)
def test_valid_bodies(body, expected):
    assert parse_message(body) == expected


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"message": "hi"}, "'sender' is required"),
        ({"sender": None, "message": "hi"}, "'sender' is required"),
        ({"sender": True, "message": "hi"}, "'sender' is required"),
        ({"sender": ["v1"], "message": "hi"}, "'sender' is required"),
        ({"sender": "", "message": "hi"}, "1 to 128"),
        ({"sender": "x" * 129, "message": "hi"}, "1 to 128"),
        ({"sender": "a\nb", "message": "hi"}, "control characters"),
        ({"sender": "whatsapp:+15875550123", "message": "hi"}, "other channels"),
        ({"sender": "telegram:123456", "message": "hi"}, "other channels"),
        ({"sender": "v1"}, "'message' is required"),
        ({"sender": "v1", "message": 7}, "'message' is required"),
        ({"sender": "v1", "message": {"text": "hi"}}, "'message' is required"),
        ({"sender": "v1", "message": "hi", "metadata": "page"}, "'metadata'"),
    ],
)
def test_invalid_bodies_say_what_is_wrong(body, complaint):
    with pytest.raises(BadRequest, match=complaint):
        parse_message(body)


def test_the_channel_keeps_rasas_name_and_url():
    assert GuardedRestInput.name() == "rest"
    assert isinstance(GuardedRestInput.from_credentials(None), GuardedRestInput)
