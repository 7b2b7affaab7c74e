"""Who may see what: sessions on every route, CSRF, login rate limit, roles, cookies."""

from __future__ import annotations

import re
import time

import pytest
from sanic import Sanic

from bot.clinic import load_clinic
from bot.harness.staff import PASSWORD, Client, ServedApp, staff_config
from bot.store import accounts, audit
from bot.web.app import create_app
from tests.staff.conftest import seed_site
from tests.support.staff import fresh_store

STATIC = "staff/static/<__file_uri__:path>"
PUBLIC = {"staff/login", STATIC}
ADMIN_PAGES = ["/staff/admin", "/staff/admin/audit", "/staff/export.csv", "/staff/export.json",
               "/staff/conversation/export.csv?id=visitor-emergency",
               "/staff/conversation/export.json?id=visitor-emergency"]  # fmt: skip


def staff_routes(app: Sanic):
    for route in app.router.routes:
        if route.path.startswith("staff"):
            yield route


def concrete(path: str) -> str:
    return "/" + re.sub(r"<[^>]+>", "x", path)


def test_every_staff_route_is_protected_or_explicitly_public(served):
    routes = list(staff_routes(served.app))
    assert len(routes) > 20
    for route in routes:
        if route.path == STATIC:
            continue  # Sanic's own file handler: style sheets only
        role = getattr(route.handler, "staff_role", "missing")
        assert role != "missing", f"/{route.path} is neither protected nor public"
        assert (role is None) == (route.path in PUBLIC), route.path


def test_every_staff_route_answers_401_or_redirect_without_a_session(served, client):
    checked = 0
    for route in staff_routes(served.app):
        if route.path in PUBLIC:
            continue
        for method in route.methods - {"HEAD", "OPTIONS"}:
            reply = client.request(
                method, concrete(route.path), data={} if method == "POST" else None
            )
            if reply.status in (302, 303):
                assert reply.location.startswith("/staff/login?next="), route.path
            else:
                assert reply.status == 401, f"{method} /{route.path}: {reply.status}"
            assert "visitor-" not in reply.text
            checked += 1
    assert checked > 20


def test_the_real_app_factory_with_the_staff_area(tmp_path):
    """bot.web.app.create_app plus register_staff: the demo stays public, staff does not."""
    app = create_app(load_clinic(), name=f"backchat_web_staff_{time.monotonic_ns()}", staff=False)
    with fresh_store("sqlite", tmp_path) as store:
        seed_site(store)
    served = ServedApp(staff_config(f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path), app=app)
    served.start()
    try:
        client = Client(served.url)
        assert client.get("/healthz").status == 200
        assert client.get("/staff/conversations").status == 302
        assert client.get("/staff/api/conversations").status == 401
        for route in staff_routes(app):
            assert route.path == STATIC or hasattr(route.handler, "staff_role"), route.path
    finally:
        served.stop()


def test_pages_redirect_to_login_and_back(served, client):
    reply = client.get("/staff/conversation?id=visitor-emergency")
    assert reply.status == 302
    login_page = client.get(reply.location)
    assert 'name="next" value="/staff/conversation?id=visitor-emergency"' in login_page.text
    done = client.post(
        "/staff/login",
        {"name": "ann", "password": PASSWORD, "next": "/staff/conversation?id=visitor-emergency"},
    )
    assert done.status == 303 and done.location == "/staff/conversation?id=visitor-emergency"


def test_login_never_redirects_to_another_site(served, client):
    client.get("/staff/login")
    reply = client.post(
        "/staff/login", {"name": "ann", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert reply.location == "/staff/queue"


def test_session_cookie_flags_and_logout(served, client):
    client.get("/staff/login")
    reply = client.post("/staff/login", {"name": "ann", "password": PASSWORD})
    cookie = next(c for c in reply.headers["set-cookie"].split(", backchat") if "staff=" in c)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie  # plain HTTP here
    client.get("/staff/conversations")
    assert client.post("/staff/logout").status == 303
    assert client.get("/staff/conversations").status == 302


def test_secure_cookie_when_served_over_https(tmp_path):
    with fresh_store("sqlite", tmp_path) as store:
        seed_site(store)
    served = ServedApp(staff_config(f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path))
    served.app.config.PROXIES_COUNT = 1  # behind one TLS-terminating proxy
    served.start()
    try:
        client = Client(served.url)
        https = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        page = client.get("/staff/login", headers=https)
        nonce = re.search(r"backchat_staff_login=([^;]+);[^,]*Secure", page.headers["set-cookie"])
        assert nonce, page.headers["set-cookie"]  # Secure cookies are not sent back over http
        cookie = {"Cookie": f"backchat_staff_login={nonce.group(1)}"}
        login = {"name": "ann", "password": PASSWORD}
        reply = client.post("/staff/login", login, headers={**https, **cookie})
        assert reply.status == 303
        assert re.search(r"backchat_staff=[^;]+;[^,]*Secure", reply.headers["set-cookie"])
        entry = audit.recent(served.store, action="login")[0]
        assert entry["ip"] == "203.0.113.9"
    finally:
        served.stop()


def test_csrf_token_required_on_every_form(served, admin):
    target = {"id": "visitor-chronic", "tag": "csrf"}
    assert admin.post("/staff/conversation/tag", target, csrf=False).status == 403
    assert admin.post("/staff/conversation/tag", {**target, "csrf_token": "0" * 64}).status == 403
    other = Client(served.url)
    other.login("sam")
    stolen = dict(target, csrf_token=other.csrf)
    assert admin.post("/staff/conversation/tag", stolen).status == 403
    cross = admin.post("/staff/conversation/tag", target, headers={"Origin": "http://evil.example"})
    assert cross.status == 403
    assert admin.post("/staff/conversation/tag", target).status == 303
    header = admin.request(
        "POST", "/staff/conversation/untag", data=target, headers={"X-CSRF-Token": admin.csrf}
    )
    assert header.status == 303


def test_login_form_needs_its_csrf_token(served, client):
    client.get("/staff/login")
    login = {"name": "ann", "password": PASSWORD}
    assert client.post("/staff/login", login, csrf=False).status == 403
    fresh = Client(served.url)  # no login page visited: no nonce cookie
    assert fresh.post("/staff/login", dict(login, csrf_token=client.csrf)).status == 403


def test_login_rate_limit(served):
    accounts.add_user(served.store, "rita", PASSWORD)
    client = Client(served.url)
    client.get("/staff/login")
    wrong = {"name": "rita", "password": "wrong password"}
    for _ in range(3):
        assert client.post("/staff/login", wrong).status == 401
    blocked = client.post("/staff/login", {"name": "rita", "password": PASSWORD})
    assert blocked.status == 429 and int(blocked.headers["retry-after"]) > 0
    assert "Too many failed attempts" in blocked.text
    actions = [e["action"] for e in audit.recent(served.store, actor="rita")]
    assert actions[:4] == ["login_blocked", "login_failed", "login_failed", "login_failed"]
    assert Client(served.url).login("ann").status == 303  # other accounts are not blocked


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_role_cannot_export_or_administer(served, staff_member, path):
    assert staff_member.get(path).status == 403


def test_staff_role_cannot_post_admin_actions(served, staff_member):
    for path, data in [
        ("/staff/admin/users", {"name": "eve", "password": PASSWORD, "role": "admin"}),
        ("/staff/admin/users/remove", {"name": "ann"}),
        ("/staff/admin/purge", {"days": "1"}),
        ("/staff/admin/forget", {"id": "visitor-chronic", "confirm": "visitor-chronic"}),
    ]:
        assert staff_member.post(path, data).status == 403, path
    assert staff_member.get("/staff/conversations").status == 200


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_can(served, admin, path):
    assert admin.get(path).status == 200


def test_security_headers(served, admin):
    headers = admin.get("/staff/conversations").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"


def test_a_forged_or_replayed_session_cookie_is_refused(served, admin):
    forged = {"Cookie": "backchat_staff=" + "A" * 43 + "." + "0" * 43}
    assert Client(served.url).get("/staff/api/me", headers=forged).status == 401
    token = next(c.value for c in admin.jar if c.name == "backchat_staff")
    replay = {"Cookie": f"backchat_staff={token}"}
    assert Client(served.url).get("/staff/api/me", headers=replay).status == 200
    admin.post("/staff/logout")
    assert Client(served.url).get("/staff/api/me", headers=replay).status == 401
