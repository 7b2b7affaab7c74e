"""A uniquely named PostgreSQL database per benchmark or test run, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def _admin(server: str):
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres", connect_timeout=5)
    connection.autocommit = True
    return connection


def create(server: str, prefix: str = "backchat_bench") -> str:
    """CREATE DATABASE <prefix>_<random> on ``server`` (postgresql://user@host:port)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    connection = _admin(server)
    try:
        connection.cursor().execute(f"CREATE DATABASE {name}")
    finally:
        connection.close()
    return f"{server}/{name}"


def drop(url: str) -> None:
    """DROP DATABASE ... WITH (FORCE) (PostgreSQL 13+)."""
    server, name = url.rsplit("/", 1)
    connection = _admin(server)
    try:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        connection.close()


@contextmanager
def temporary(server: str, prefix: str = "backchat_bench") -> Iterator[str]:
    url = create(server, prefix)
    try:
        yield url
    finally:
        drop(url)
