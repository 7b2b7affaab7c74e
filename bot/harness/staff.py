"""The staff app served on a free port, a browser-like client and fresh databases.

Tests and ``python -m bench.staff_bench`` use them. PostgreSQL comes from
BACKCHAT_TEST_PG_URL (default: the local server, database ``test``); each database is a
schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import itertools
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sanic import Sanic

from bot.harness.stack import free_port
from bot.store import Store
from bot.store.throttle import Limits
from bot.web.staff import register_staff
from bot.web.staff.config import StaffConfig

PG_URL = os.environ.get("BACKCHAT_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
_names = itertools.count()


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL cannot be reached (the reason is the message)."""


def pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used (None when it can)."""
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect is a reason to skip
        return f"PostgreSQL unreachable at {PG_URL}: {type(error).__name__}: {error}"
    return None


@contextlib.contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own.

    Raises :class:`DatabaseUnavailable` when PostgreSQL cannot be reached.
    """
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'tracker.db'}"
        return
    reason = pg_unreachable()
    if reason:
        raise DatabaseUnavailable(reason)
    schema = f"staff_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("SET lock_timeout = '20s'"))  # a leaked transaction fails loudly
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def staff_config(url: str, folder: Path, **changes) -> StaffConfig:
    base = dict(
        tracker_url=url,
        staff_url=url,
        secret=b"test-secret-" + uuid.uuid4().hex.encode(),
        timezone=ZoneInfo("UTC"),
        refresh_interval_s=0.5,
        limits=Limits(per_name=3, per_address=1000, window_s=60),
    )
    base.update(changes)
    return StaffConfig(**base)


class ServedApp:
    """A fresh Sanic app with the staff area, served on a free port in a thread."""

    def __init__(self, config: StaffConfig, background: bool = True, app: Sanic | None = None):
        # Several apps start in one process: Sanic must keep its original methods to
        # rewrite them again for each (sanic/touchup), which it does in test mode.
        Sanic.test_mode = True
        self.app = app or Sanic(f"staff_test_{next(_names)}")
        self.app.config.MOTD = False
        register_staff(self.app, config=config, background=background)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> Store:
        return self.app.ctx.staff.store

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            server = self.loop.run_until_complete(
                self.app.create_server(
                    host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
                )
            )
            self.loop.run_until_complete(server.startup())
            self.loop.run_until_complete(server.before_start())
            self.loop.run_until_complete(server.after_start())
            self.server = server
        except BaseException as error:  # reported by start()
            self.error = error
            self.ready.set()
            return
        self.ready.set()
        self.loop.run_forever()

    def start(self) -> ServedApp:
        self.thread.start()
        self.ready.wait(30)
        if self.error:
            raise self.error
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            await self.server.before_stop()
            self.server.close()
            await self.server.wait_closed()
            await self.server.after_stop()

        if self.server:
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Client:
    """A browser-like client: cookies kept, redirects not followed, CSRF from pages."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.csrf = ""

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=60) as response:
                reply = Reply(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, _lower(error.headers), error.read())
        found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
        if found:
            self.csrf = found.group(1)
        return reply

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, csrf: bool = True, **kwargs) -> Reply:
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf)
        return self.request("POST", path, data=data, **kwargs)

    def login(self, name: str, password: str = PASSWORD) -> Reply:
        self.get("/staff/login")
        reply = self.post("/staff/login", {"name": name, "password": password})
        if reply.status == 303:
            self.get("/staff/conversations")  # a page with the session's CSRF token
        return reply


def _lower(headers) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out
