"""Staff accounts: names, roles, and passwords hashed with Argon2id (argon2-cffi)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .schema import ROLES
from .store import Store

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
HASHER = PasswordHasher()
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A name, role or password that cannot be used."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not NAME_PATTERN.match(name):
        raise AccountError("a name is 1-64 of a-z, 0-9, '.', '_' or '-', starting with a-z or 0-9")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")
    return password


def _user(row) -> User:
    return User(id=row.id, name=row.name, role=row.role)


def add_user(store: Store, name: str, password: str, role: str = "staff") -> User:
    name = check_name(name)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    digest = HASHER.hash(check_password(password))
    users = store.t("users")
    with store.staff.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
            raise AccountError(f"there is already an account named {name!r}")
        result = conn.execute(
            users.insert().values(
                name=name, password_hash=digest, role=role, created_at=time.time()
            )
        )
        return User(id=int(result.inserted_primary_key[0]), name=name, role=role)


def set_password(store: Store, name: str, password: str) -> bool:
    """New password; every session of the account ends."""
    digest = HASHER.hash(check_password(password))
    users, sessions = store.t("users"), store.t("sessions")
    with store.staff.begin() as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
        if not row:
            return False
        conn.execute(users.update().where(users.c.id == row.id).values(password_hash=digest))
        conn.execute(sessions.delete().where(sessions.c.user_id == row.id))
    return True


def remove_user(store: Store, name: str) -> bool:
    """Delete the account and its sessions; False if there was none."""
    users, sessions = store.t("users"), store.t("sessions")
    with store.staff.begin() as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
        if not row:
            return False
        conn.execute(sessions.delete().where(sessions.c.user_id == row.id))
        conn.execute(users.delete().where(users.c.id == row.id))
    return True


def list_users(store: Store) -> list[dict]:
    users = store.t("users")
    query = sa.select(users.c.id, users.c.name, users.c.role, users.c.created_at)
    with store.staff.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query.order_by(users.c.name))]


def get_user(store: Store, user_id: int) -> User | None:
    users = store.t("users")
    with store.staff.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def admin_count(store: Store) -> int:
    users = store.t("users")
    query = sa.select(sa.func.count()).select_from(users).where(users.c.role == "admin")
    with store.staff.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if the password is right, else None (same cost either way)."""
    users = store.t("users")
    name = name.strip().lower()[:64]
    with store.staff.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    digest = row.password_hash if row else _DUMMY_HASH
    try:
        HASHER.verify(digest, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if not row:
        return None
    if HASHER.check_needs_rehash(digest):
        with store.staff.begin() as conn:
            conn.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(password_hash=HASHER.hash(password))
            )
    return _user(row)
