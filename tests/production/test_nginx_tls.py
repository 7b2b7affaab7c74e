"""Issue 17: the shipped nginx serves everything over TLS, with HSTS, and staff cookies are Secure.

Real nginx (deploy/nginx/backchat.conf, certificate from scripts/self-signed-cert.sh) in
front of the production deployment's web app, which trusts one proxy
(BACKCHAT_TRUSTED_PROXIES=1) and so sees the visitor's HTTPS.
"""

from __future__ import annotations

import http.client
import shutil
import urllib.parse

import pytest

from tests.production.test_socketio_through_nginx import Nginx

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]


@pytest.fixture(scope="module")
def nginx(deployment, tmp_path_factory):
    ports = [deployment.first.ports["rasa"], deployment.second.ports["rasa"]]
    with Nginx(tmp_path_factory.mktemp("nginx-tls"), ports, deployment.first.ports["web"]) as n:
        yield n


def get(url: str, path: str, tls=None) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=30, context=tls)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.mark.parametrize("path", ["/", "/staff/login", "/socket.io/?EIO=4&transport=polling"])
def test_plain_http_only_redirects_to_https(nginx, path):
    response = get(nginx.http_url, path)
    assert response.status == 301
    assert response.getheader("Location", "").startswith("https://")
    assert response.getheader("Location", "").endswith(path)


def test_https_answers_with_hsts(nginx):
    response = get(nginx.url, "/staff/login", nginx.ssl)
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"


def test_staff_cookies_are_secure_behind_the_proxy(nginx):
    response = get(nginx.url, "/staff/login", nginx.ssl)
    cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
    assert cookies, "the login form sets its CSRF cookie"
    assert all("Secure" in cookie for cookie in cookies), cookies
