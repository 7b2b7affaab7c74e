"""Issue 17 ("Also"): odd CSRF values get 403, not 500; the JSON API follows the export rule."""

from __future__ import annotations

import pytest

from bot.harness.staff import Client

ODD_VALUES = ["é" * 64, "\u00ff" + "a" * 63, "токен"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_a_non_ascii_csrf_header_or_field_is_refused_not_an_error(staff_member, value):
    in_header = staff_member.post(
        "/staff/conversation/review",
        {"id": "visitor-emergency"},
        csrf=False,
        headers={"X-CSRF-Token": value.encode("utf-8").decode("latin-1")},
    )
    assert in_header.status == 403, in_header.text
    in_field = staff_member.post(
        "/staff/conversation/review", {"id": "visitor-emergency", "csrf_token": value}
    )
    assert in_field.status == 403, in_field.text


@pytest.mark.parametrize("value", ODD_VALUES)
def test_a_non_ascii_login_csrf_is_refused_not_an_error(client, value):
    client.get("/staff/login")
    reply = client.post("/staff/login", {"name": "sam", "password": "x", "csrf_token": value})
    assert reply.status in (400, 403), reply.text


@pytest.mark.parametrize("value", ["é" * 64, "\u00ff" + "a" * 63])
def test_a_non_ascii_session_cookie_is_no_session_not_an_error(served, value):
    escaped = "".join(f"\\{ord(c):03o}" if ord(c) > 127 else c for c in value)
    cookie = f'backchat_staff="token.{escaped}"'  # a quoted cookie with octal escapes
    reply = Client(served.url).get("/staff/api/me", headers={"Cookie": cookie})
    assert reply.status == 401, reply.text


@pytest.mark.parametrize(
    "path", ["/staff/api/conversations", "/staff/api/conversation?id=visitor-emergency"]
)
def test_the_json_api_gives_staff_what_the_export_gives_them(staff_member, admin, path):
    export = path.replace("/api/conversations", "/export.json").replace(
        "/api/conversation?", "/conversation/export.json?"
    )
    assert staff_member.get(export).status == 403  # the exports are for admins
    assert staff_member.get(path).status == 403
    assert admin.get(path).status == 200
