"""deploy/nginx/backchat.conf keeps the REST channel closed unless the operator gives a token.

Issue 17 (High): nginx published all of /webhooks/, so anyone on the internet could post
to the REST channel. Real nginx in front of the real production deployment.
"""

from __future__ import annotations

import http.client
import json
import secrets
import shutil
import signal
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.production.test_socketio_through_nginx import Nginx

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]


def post_rest(nginx, sender: str, token: str | None = None) -> tuple[int, str]:
    body = json.dumps({"sender": sender, "message": "hi"}).encode()
    headers: dict[str, str] = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{nginx.url}/webhooks/rest/webhook"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60, context=nginx.ssl) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def nginx(deployment, tmp_path_factory):
    ports = [deployment.first.ports["rasa"], deployment.second.ports["rasa"]]
    with Nginx(tmp_path_factory.mktemp("nginx-rest"), ports, deployment.first.ports["web"]) as n:
        yield n


def test_the_rest_channel_is_closed_by_default(nginx):
    assert post_rest(nginx, "rest-closed")[0] == 404
    assert post_rest(nginx, "rest-closed", token="anything")[0] == 404


def reload(nginx, token: str, timeout_s: float = 15) -> None:
    """SIGHUP, as an operator reloads nginx; waits until the REST health route opens."""
    nginx.process.send_signal(signal.SIGHUP)
    request = urllib.request.Request(
        f"{nginx.url}/webhooks/rest/", headers={"Authorization": f"Bearer {token}"}
    )
    deadline, last = time.monotonic() + timeout_s, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5, context=nginx.ssl):
                return
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read()[:200]!r}"
            time.sleep(0.3)
    raise AssertionError(f"nginx did not open the REST channel after the reload: {last}")


def test_the_operators_token_opens_it_and_nothing_else_does(nginx):
    token = secrets.token_urlsafe(32)
    (nginx.folder / "private" / "rest-token.map").write_text(f'"Bearer {token}" 1;\n')
    reload(nginx, token)
    status, answer = post_rest(nginx, "rest-open", token)
    assert status == 200 and json.loads(answer), answer
    assert post_rest(nginx, "rest-open", token[:-1])[0] == 404
    assert post_rest(nginx, "rest-open", "x" + token)[0] == 404
    assert post_rest(nginx, "rest-open")[0] == 404


def statuses_from(nginx, source: str, count: int) -> list[int]:
    """``count`` socket.io handshakes as fast as one client can send them."""
    parts = urllib.parse.urlsplit(nginx.url)
    found = []
    for _ in range(count):
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=30, source_address=(source, 0), context=nginx.ssl
        )
        conn.request("GET", "/socket.io/?EIO=4&transport=polling")
        response = conn.getresponse()
        response.read()
        found.append(response.status)
        conn.close()
    return found


def test_one_address_is_paced_by_nginx_and_others_are_not(nginx):
    """Issue 17: nginx had no per-address limit in front of the unauthenticated routes."""
    burst = statuses_from(nginx, "127.0.3.1", 120)
    assert burst.count(429) > 0, burst
    assert burst[:20] == [200] * 20  # a visitor's normal burst goes through
    assert statuses_from(nginx, "127.0.3.2", 5) == [200] * 5
