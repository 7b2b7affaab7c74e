"""Server-side staff sessions: the cookie carries a random token, the database its hash.

Logging out, removing an account or changing its password ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import sqlalchemy as sa

from .accounts import User
from .store import Store


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(store: Store, user: User, lifetime_s: float) -> tuple[str, float]:
    """A new session token for ``user`` and its expiry time."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    table = store.t("sessions")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.expires_at < now))
        conn.execute(
            table.insert().values(
                token_hash=_hash(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + lifetime_s,
            )
        )
    return token, now + lifetime_s


def user_of(store: Store, token: str) -> User | None:
    """The account a live session token belongs to, or None."""
    sessions, users = store.t("sessions"), store.t("users")
    query = (
        sa.select(users.c.id, users.c.name, users.c.role)
        .select_from(sessions.join(users, users.c.id == sessions.c.user_id))
        .where(sessions.c.token_hash == _hash(token), sessions.c.expires_at > time.time())
    )
    with store.staff.connect() as conn:
        row = conn.execute(query).first()
    return User(id=row.id, name=row.name, role=row.role) if row else None


def end(store: Store, token: str) -> None:
    table = store.t("sessions")
    with store.staff.begin() as conn:
        conn.execute(table.delete().where(table.c.token_hash == _hash(token)))
