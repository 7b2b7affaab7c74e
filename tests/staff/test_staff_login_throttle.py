"""Issue 17: login throttling behind the proxy, atomic, and cheap when it refuses.

The real web process (``python -m bot.runtime.stack --only web``) with BACKCHAT_TRUSTED_PROXIES=1,
behind the real nginx of deploy/nginx/backchat.conf; clients from several loopback
addresses. Limits are the defaults: 5 failures per name, 20 per address, in 15 minutes.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.harness.stack import ROOT, RunningStack, free_port
from tests.production.test_socketio_through_nginx import Nginx

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")


def add_account(var, name: str) -> None:
    env = {**os.environ, "BACKCHAT_VAR_DIR": str(var)}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", "add", name],
        input=PASSWORD + "\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("throttle") / "var"
    for name in ("ann", "bob", "carol"):
        add_account(var, name)
    web = RunningStack(var, env={"BACKCHAT_TRUSTED_PROXIES": "1"}, only="web").start()
    proxy = Nginx(tmp_path_factory.mktemp("throttle-nginx"), [free_port()], web.ports["web"])
    with proxy:
        yield web, proxy
    assert web.stop() == 0


def login(url: str, source: str, name: str, password: str, tls=None) -> int:
    """A browser's login from ``source``: the form (cookie, CSRF token), then the post."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=60,
                                           source_address=(source, 0), context=tls)  # fmt: skip
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60,
                                          source_address=(source, 0))  # fmt: skip
    try:
        conn.request("GET", "/staff/login")
        page = conn.getresponse()
        body = page.read().decode()
        cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode({"name": name, "password": password, "csrf_token": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        conn.request("POST", "/staff/login", body=form, headers=headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def audit_rows(web, action: str, actor: str) -> int:
    with sqlite3.connect(web.var_dir / "tracker.db") as db:
        query = "SELECT count(*) FROM staff_audit WHERE action = ? AND actor = ?"
        return db.execute(query, (action, actor)).fetchone()[0]


def test_behind_the_proxy_one_address_is_blocked_not_every_visitor(site):
    _, proxy = site
    url, tls = proxy.url, proxy.ssl
    failures = [login(url, "127.0.0.2", f"nobody{n}", "wrong", tls) for n in range(20)]
    assert failures == [401] * 20
    assert login(url, "127.0.0.2", "ann", PASSWORD, tls) == 429  # that address is blocked
    assert login(url, "127.0.0.3", "ann", PASSWORD, tls) == 303  # another one is not


def test_parallel_guesses_get_no_more_tries_than_the_limit(site):
    web, _ = site

    def guess(n: int) -> int:
        return login(web.web_url, f"127.0.1.{n + 1}", "bob", f"guess {n}")

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses.count(401) <= 5, statuses  # the password was checked at most 5 times
    assert statuses.count(429) == 30 - statuses.count(401)


def test_refused_attempts_do_not_fill_the_audit_log(site):
    web, _ = site
    statuses = [login(web.web_url, "127.0.2.1", "carol", "wrong") for _ in range(5)]
    assert statuses == [401] * 5
    refused = [login(web.web_url, f"127.0.2.{n + 2}", "carol", "wrong") for n in range(25)]
    assert refused == [429] * 25
    assert audit_rows(web, "login_failed", "carol") == 5
    assert audit_rows(web, "login_blocked", "carol") <= 1
