"""Signed session tokens for the widget channel, and the secret that signs them.

A token is ``<session id>.<issued at>.<signature>``, itsdangerous's ``TimestampSigner``
format: the session id is 32 random hex characters and becomes Rasa's sender id; *issued
at* is Unix seconds; the signature is HMAC-SHA256 under a key derived for this purpose
only (the salt), base64url without padding. Only the server knows the secret, so a client
can resume a session it was given but cannot name another one: a guessed, forged, altered
or expired token does not verify.

Keys rotate: the signer takes a list, newest first; it signs with the newest and accepts
any, so tokens issued before a rotation keep working until they expire.

Pure Python, no Rasa import.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from itsdangerous import BadSignature, TimestampSigner

from bot.runtime.private_files import SecretFileError, load_or_create_secret

SECRET_ENV = "BACKCHAT_SESSION_SECRET"
SECRET_FILE_NAME = "session-secret"
MIN_SECRET_LENGTH = 16
DEFAULT_MAX_AGE_S = 7 * 24 * 3600
MAX_TOKEN_LENGTH = 200
SALT = "backchat.widget-session"
CLOCK_SKEW_S = 300  # a token issued this far in the future still counts (clocks differ)

_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_ISSUED = re.compile(r"[A-Za-z0-9_-]{1,11}")
# 32 bytes in base64url: 42 characters and a last one whose two spare bits are zero, so
# that exactly one spelling of a signature verifies.
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]")

Keys = bytes | Sequence[bytes]


class SessionSecretError(ValueError):
    """The configured session secret cannot be used."""


def new_session_id() -> str:
    """128 random bits as 32 hex characters."""
    return secrets.token_hex(16)


class _ClockedSigner(TimestampSigner):
    """itsdangerous's timestamp signer, telling the time by ``clock`` (tests move it)."""

    def __init__(self, keys: Sequence[bytes], clock: Callable[[], float]) -> None:
        # itsdangerous wants the keys oldest first and signs with the last.
        super().__init__(list(reversed(keys)), salt=SALT, digest_method=hashlib.sha256)
        self.clock = clock

    def get_timestamp(self) -> int:
        return int(self.clock())


@dataclass(frozen=True)
class SessionSigner:
    """Issues and verifies session tokens.

    ``secret`` is one key or a list of keys, newest first. ``max_age_s`` is how long a
    token stays valid after it was issued (0: forever). The channel re-issues the token
    every time a session is resumed, so a conversation expires only after ``max_age_s``
    without any visit.
    """

    secret: Keys = field(repr=False)
    max_age_s: int = DEFAULT_MAX_AGE_S
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if any(len(key) < MIN_SECRET_LENGTH for key in self.keys) or not self.keys:
            raise SessionSecretError(
                f"{SECRET_ENV}: the session secret must be at least "
                f"{MIN_SECRET_LENGTH} characters long"
            )
        if self.max_age_s < 0:
            raise SessionSecretError(f"session max age must be 0 or more, got {self.max_age_s}")

    @property
    def keys(self) -> tuple[bytes, ...]:
        """The keys, newest first."""
        return (self.secret,) if isinstance(self.secret, bytes) else tuple(self.secret)

    def _signer(self) -> _ClockedSigner:
        return _ClockedSigner(self.keys, self.clock)

    def issue(self, session_id: str | None = None) -> str:
        """A token for ``session_id`` (a new random one if not given), issued now."""
        session_id = new_session_id() if session_id is None else session_id
        if not isinstance(session_id, str) or not _SESSION_ID.fullmatch(session_id):
            raise ValueError(f"not a session id: {session_id!r}")
        return self._signer().sign(session_id).decode("ascii")

    def verify(self, token: object) -> str | None:
        """The session id if ``token`` is one this server issued and has not expired."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            return None
        parts = token.split(".")
        if len(parts) != 3:
            return None
        session_id, issued, signature = parts
        if not (
            _SESSION_ID.fullmatch(session_id)
            and _ISSUED.fullmatch(issued)
            and _SIGNATURE.fullmatch(signature)
        ):
            return None
        try:
            _, issued_at = self._signer().unsign(token, return_timestamp=True)
        except BadSignature:
            return None
        if self.max_age_s:
            age = self.clock() - issued_at.timestamp()
            if age > self.max_age_s or age < -CLOCK_SKEW_S:  # from the future: not ours
                return None
        return session_id


def session_id_of(token: str) -> str:
    """The session id part of a token, without verifying it (for logs and clients)."""
    return token.split(".", 1)[0]


def session_secret(var_dir: Path, env: Mapping[str, str] | None = None) -> bytes:
    """BACKCHAT_SESSION_SECRET, else one generated once into var/session-secret (mode 600)."""
    env = os.environ if env is None else env
    configured = env.get(SECRET_ENV)
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise SessionSecretError(
                f"{SECRET_ENV}: expected at least {MIN_SECRET_LENGTH} characters, "
                f"got {len(configured)}"
            )
        return configured.encode("utf-8")
    path = var_dir / SECRET_FILE_NAME
    try:
        secret = load_or_create_secret(path, lambda: secrets.token_urlsafe(32), MIN_SECRET_LENGTH)
    except SecretFileError as error:
        raise SessionSecretError(f"{error} (open conversations will start over)") from None
    return secret.encode("utf-8")
