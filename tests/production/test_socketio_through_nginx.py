"""The widget across two Rasa servers behind deploy/nginx/backchat.conf (real nginx).

socket.io's long polling sends many HTTP requests per connection; each must reach the
server that opened it. The production config hashes the client address for /socket.io/,
so polling works from any number of visitors (from different addresses, spread over both
servers); a websocket is one connection, so it works even without stickiness; and the
same config without the hash (round robin) breaks polling, which is why it is there.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bot.harness.stack import free_port
from tests.production.test_deploy_files import nginx_config, trusting
from tests.support.widget_client import WebsocketWidget, WidgetClient

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]
TRIAGE = ["my lower back hurts since last week", "no", "no", "bending", "no", "no", "no"]


class Nginx:
    """nginx in the foreground on a free port, stopped by its own pid."""

    def __init__(self, folder: Path, rasa_ports, web_port: int, sticky: bool = True):
        folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.port = free_port(), free_port()  # port: HTTPS
        self.config = nginx_config(folder, rasa_ports, web_port, self.http_port, self.port)
        self.ssl = trusting(folder / "private" / "tls" / "cert.pem")
        if not sticky:
            conf = folder / "backchat.conf"
            conf.write_text(re.sub(r"\n\s*hash \$remote_addr consistent;", "", conf.read_text()))
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def __enter__(self) -> Nginx:
        command = ["nginx", "-p", str(self.folder), "-c", str(self.config)]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2, context=self.ssl).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise AssertionError(f"nginx did not start: {self.process.stderr.read()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def balancers(deployment, tmp_path_factory):
    ports = [deployment.first.ports["rasa"], deployment.second.ports["rasa"]]
    web = deployment.first.ports["web"]
    folder = tmp_path_factory.mktemp("nginx")
    sticky = Nginx(folder / "sticky", ports, web)
    round_robin = Nginx(folder / "round-robin", ports, web, sticky=False)
    with sticky, round_robin:
        yield {"sticky": sticky, "round_robin": round_robin}


async def triage(nginx: Nginx, transport: str, address: str, timeout_s: float = 30) -> list:
    if transport == "websocket":
        widget = WebsocketWidget(nginx.url, address, ssl=nginx.ssl)
    else:
        widget = WidgetClient(nginx.url, transport, address, timeout_s, ssl=nginx.ssl)
    async with widget:
        answers = [await widget.say(text) for text in TRIAGE]
        assert widget.transport_in_use == transport
        return answers


def finished(answers: list) -> bool:
    return any("book online" in text for text in answers[-1])


async def visitors(nginx: Nginx, transport: str, count: int, timeout_s: float = 30) -> list:
    """``count`` visitors at once over HTTPS, each from its own loopback address."""
    return await asyncio.gather(
        *[triage(nginx, transport, f"127.0.0.{10 + n}", timeout_s) for n in range(count)],
        return_exceptions=True,
    )


def test_long_polling_visitors_finish_their_triage_through_the_sticky_config(balancers):
    results = asyncio.run(visitors(balancers["sticky"], "polling", 6))
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures[:2]
    assert all(finished(answers) for answers in results)


def test_websocket_visitors_need_no_stickiness(balancers):
    results = asyncio.run(visitors(balancers["round_robin"], "websocket", 4))
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures[:2]
    assert all(finished(answers) for answers in results)


def test_long_polling_breaks_without_stickiness(balancers):
    """Why the config hashes the client address: round robin loses polling sessions."""
    results = asyncio.run(visitors(balancers["round_robin"], "polling", 2, timeout_s=8))
    assert all(isinstance(r, BaseException) for r in results), results


def test_the_web_app_is_served_through_nginx(balancers):
    nginx = balancers["sticky"]
    with urllib.request.urlopen(f"{nginx.url}/", timeout=10, context=nginx.ssl) as response:
        assert response.status == 200
