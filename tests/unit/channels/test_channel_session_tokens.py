"""Signed session tokens: issue, verify, tampering, expiry, and the secret on disk."""

import hashlib
import os
import stat

import pytest
from itsdangerous import TimestampSigner

from bot.channels.session_tokens import (
    SECRET_ENV,
    SessionSecretError,
    SessionSigner,
    new_session_id,
    session_id_of,
    session_secret,
)

SECRET = b"0123456789abcdef0123456789abcdef"
NOW = 1_800_000_000.0


def signer(secret=SECRET, max_age_s=3600, now=NOW):
    return SessionSigner(secret, max_age_s=max_age_s, clock=lambda: now)


def test_a_new_session_id_is_32_random_hex_characters():
    ids = {new_session_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_an_issued_token_verifies_to_its_session_id():
    token = signer().issue()
    session_id = signer().verify(token)
    assert session_id == session_id_of(token)
    assert len(session_id) == 32


def test_a_token_can_be_issued_for_a_known_session():
    session_id = new_session_id()
    assert signer().verify(signer().issue(session_id)) == session_id


@pytest.mark.parametrize(
    "bad_id", ["", "abc", "G" * 32, "a" * 31, "a" * 33, "a.b", "a" * 32 + "\n"]
)
def test_only_well_formed_ids_are_signed(bad_id):
    with pytest.raises(ValueError):
        signer().issue(bad_id)


def test_a_bare_or_guessed_session_id_does_not_verify():
    token = signer().issue()
    assert signer().verify(session_id_of(token)) is None
    assert signer().verify(new_session_id()) is None


def test_every_altered_character_of_the_signature_is_refused():
    token = signer().issue()
    head, signature = token.rsplit(".", 1)
    for position, char in enumerate(signature):
        replacement = "A" if char != "A" else "B"
        forged = f"{head}.{signature[:position]}{replacement}{signature[position + 1 :]}"
        assert signer().verify(forged) is None, position


def test_another_session_id_under_a_valid_signature_is_refused():
    token = signer().issue()
    _, issued, signature = token.split(".")
    assert signer().verify(f"{new_session_id()}.{issued}.{signature}") is None


def test_a_changed_issue_time_is_refused():
    token = signer().issue()
    session_id, issued, signature = token.split(".")
    earlier = "1" + issued[1:] if issued[0] != "1" else "2" + issued[1:]
    assert signer().verify(f"{session_id}.{earlier}.{signature}") is None


def test_a_token_signed_with_another_secret_is_refused():
    other = signer(secret=b"another secret, long enough!!")
    assert signer().verify(other.issue()) is None


@pytest.mark.parametrize(
    "junk",
    [None, 42, b"bytes", "", "...", "a.b.c", "x" * 500, {"session_id": "x"}, ["a", "b"]],
)
def test_junk_is_refused(junk):
    assert signer().verify(junk) is None


def test_extra_parts_are_refused():
    token = signer().issue()
    assert signer().verify(token + ".extra") is None
    assert signer().verify("extra." + token) is None


def test_a_token_expires_after_the_max_age():
    token = signer(max_age_s=3600, now=NOW).issue()
    assert signer(max_age_s=3600, now=NOW + 3599).verify(token)
    assert signer(max_age_s=3600, now=NOW + 3601).verify(token) is None


def test_a_max_age_of_zero_never_expires():
    token = signer(max_age_s=0, now=NOW).issue()
    assert signer(max_age_s=0, now=NOW + 10 * 365 * 86400).verify(token)


def test_a_token_from_the_future_is_refused():
    token = signer(now=NOW + 3600).issue()
    assert signer(now=NOW).verify(token) is None


def test_a_short_secret_is_refused():
    with pytest.raises(SessionSecretError, match=SECRET_ENV):
        SessionSigner(b"short")


def test_a_negative_max_age_is_refused():
    with pytest.raises(SessionSecretError):
        SessionSigner(SECRET, max_age_s=-1)


def test_the_secret_comes_from_the_environment(tmp_path):
    value = "an environment secret of some length"
    assert session_secret(tmp_path, {SECRET_ENV: value}) == value.encode()
    assert not (tmp_path / "session-secret").exists()


def test_a_short_environment_secret_is_refused(tmp_path):
    with pytest.raises(SessionSecretError, match=SECRET_ENV):
        session_secret(tmp_path, {SECRET_ENV: "short"})


def test_without_the_variable_a_secret_is_generated_once_with_mode_600(tmp_path):
    var_dir = tmp_path / "var"
    first = session_secret(var_dir, {})
    path = var_dir / "session-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 32
    assert session_secret(var_dir, {}) == first


def test_a_damaged_secret_file_is_reported(tmp_path):
    (tmp_path / "session-secret").write_text("tiny\n")
    with pytest.raises(SessionSecretError, match="session-secret"):
        session_secret(tmp_path, {})


def test_a_token_is_refused_a_second_after_its_max_age():
    token = signer(max_age_s=60, now=NOW).issue()
    assert signer(max_age_s=60, now=NOW + 60).verify(token)
    assert signer(max_age_s=60, now=NOW + 61).verify(token) is None


def test_a_signature_of_the_same_secret_for_another_purpose_is_refused():
    session_id = new_session_id()
    other_purpose = TimestampSigner(SECRET, salt="backchat.other", digest_method=hashlib.sha256)
    forged = other_purpose.sign(session_id).decode()
    assert signer().verify(forged) is None
    assert signer().verify(signer().issue(session_id)) == session_id


def test_after_a_key_rotation_old_tokens_still_verify_and_new_ones_use_the_new_key():
    new_key = b"the new key, rotated in today"
    old_token = signer(secret=SECRET).issue()
    rotated = signer(secret=[new_key, SECRET])
    assert rotated.verify(old_token) == session_id_of(old_token)
    new_token = rotated.issue()
    assert signer(secret=new_key).verify(new_token) == session_id_of(new_token)
    assert signer(secret=SECRET).verify(new_token) is None
    assert signer(secret=new_key).verify(old_token) is None, "a retired key no longer counts"


def test_every_key_of_a_rotation_must_be_long_enough():
    with pytest.raises(SessionSecretError):
        SessionSigner([SECRET, b"short"])
    with pytest.raises(SessionSecretError):
        SessionSigner([])
