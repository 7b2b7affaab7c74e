"""The staff session cookie and CSRF tokens (itsdangerous, one salt per purpose)."""

import pytest

from bot.web.staff.auth import _mac, sign, unsign

SECRET = b"s" * 32


def test_a_signed_session_token_comes_back():
    assert unsign(SECRET, sign(SECRET, "token-123")) == "token-123"


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "token-123",
        "token-123.",
        ".abc",
        "\udcff.zz",
        "tökén.x",
    ],
)
def test_malformed_cookies_are_refused(cookie):
    assert unsign(SECRET, cookie) is None


def test_every_altered_character_is_refused():
    cookie = sign(SECRET, "token-123")
    for i, char in enumerate(cookie):
        for other in {"A", "B", "_", "-", "0"} - {char}:
            assert unsign(SECRET, cookie[:i] + other + cookie[i + 1 :]) is None


def test_another_secret_does_not_verify():
    assert unsign(b"t" * 32, sign(SECRET, "token-123")) is None


def test_each_purpose_has_its_own_signature():
    """A CSRF token is never a valid session signature, nor a login CSRF token."""
    session = sign(SECRET, "token-123").rpartition(".")[2]
    csrf = _mac(SECRET, "csrf", "token-123")
    login = _mac(SECRET, "login-csrf", "token-123")
    assert len({session, csrf, login}) == 3
    assert unsign(SECRET, f"token-123.{csrf}") is None
