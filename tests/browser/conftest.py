"""Browser tests: Debian's Chromium driven by Playwright against the real servers.

``stack`` is the real BackChat stack (``python -m bot.runtime.stack`` through
bot/harness/stack.py) with a trained model; its clinic file adds the test's web
origin to the allowed origins so the long-polling transport passes CORS. ``scripted`` is
the real signed channel with a scripted bot instead of Rasa's model, used where the
server has to go away and come back within a test.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from bot.harness.stack import ROOT, RunningStack, free_port
from tests.browser.widget import Widget
from tests.support.chromium import launched_chromium, missing
from tests.support.servers import stop_group, wait_for_url

MODEL = ROOT / "models" / "current.tar.gz"
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launched_chromium() as launched:
        yield launched


class PageErrors(list[str]):
    """JavaScript errors thrown in a page; a test fails if there are any."""


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (no shared storage); closed after the test."""
    contexts = []
    errors = PageErrors()

    def make(viewport: dict[str, int] = DESKTOP, **options) -> Page:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def widget(page) -> Widget:
    return Widget(page)


def _test_clinic_file(folder: Path, web_origin: str) -> Path:
    data = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    data.setdefault("web", {}).setdefault("allowed_origins", []).append(web_origin)
    path = folder / "clinic.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[RunningStack]:
    if not MODEL.exists():
        missing(f"a trained model at {MODEL} (make train)")
    var_dir = tmp_path_factory.mktemp("browser-var")
    ports = {"rasa": free_port(), "actions": free_port(), "web": free_port()}
    clinic_file = _test_clinic_file(var_dir, f"http://127.0.0.1:{ports['web']}")
    previous = os.environ.get("BACKCHAT_CLINIC_FILE")
    os.environ["BACKCHAT_CLINIC_FILE"] = str(clinic_file)
    try:
        running = RunningStack(var_dir, ports=ports).start()
    finally:
        if previous is None:
            del os.environ["BACKCHAT_CLINIC_FILE"]
        else:
            os.environ["BACKCHAT_CLINIC_FILE"] = previous
    yield running
    assert running.stop() == 0


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class ScriptedServers:
    """tests/browser/scripted_rasa.py and the web app, as two processes, and a third
    origin serving test pages that embed the widget with other options.

    (Test pages are served from a real 127.0.0.1 server, not fulfilled by Playwright:
    Chromium refuses requests from a page of unknown address to loopback.)
    """

    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.rasa_port = free_port()
        self.web_port = free_port()
        self.rasa = None
        self.web = None
        self.pages_dir = var_dir / "pages"
        self.pages_dir.mkdir()
        handler = partial(_QuietHandler, directory=str(self.pages_dir))
        self.pages = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.pages.serve_forever, daemon=True).start()

    @property
    def pages_url(self) -> str:
        return f"http://127.0.0.1:{self.pages.server_address[1]}"

    def page_with_widget(self, name: str, **data: str) -> str:
        """URL of a page that embeds the widget with these data attributes."""
        data.setdefault("server", self.rasa_url)
        attributes = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in data.items())
        (self.pages_dir / f"{name}.html").write_text(
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Clinic</title>"
            "<link rel='icon' href='data:,'></head><body><p>A clinic page.</p>"
            f"<script src='{self.web_url}/static/widget.js' {attributes} defer></script>"
            "</body></html>",
            encoding="utf-8",
        )
        return f"{self.pages_url}/{name}.html"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        env = dict(os.environ, BACKCHAT_VAR_DIR=str(self.var_dir))
        env.update(BACKCHAT_RASA_PORT=str(self.rasa_port), BACKCHAT_WEB_PORT=str(self.web_port))
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def start_rasa(self) -> None:
        self.rasa = self._spawn(
            ["-m", "tests.browser.scripted_rasa", "--port", str(self.rasa_port),
             "--var-dir", str(self.var_dir), "--cors", self.web_url, self.pages_url]
        )  # fmt: skip
        wait_for_url(f"{self.rasa_url}/health", self.rasa)

    def stop_rasa(self) -> None:
        if self.rasa:
            stop_group(self.rasa, grace_s=10)

    def start(self) -> ScriptedServers:
        self.web = self._spawn(["-m", "bot.web", "--port", str(self.web_port)])
        self.start_rasa()
        wait_for_url(f"{self.web_url}/healthz", self.web)
        return self

    def stop(self) -> None:
        self.pages.shutdown()
        self.stop_rasa()
        if self.web and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait(10)


@pytest.fixture(scope="session")
def scripted(tmp_path_factory) -> Iterator[ScriptedServers]:
    servers = ScriptedServers(tmp_path_factory.mktemp("scripted-var")).start()
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def copy_screenshot(source: Path, name: str) -> None:
    shutil.copyfile(source, SCREENSHOTS / name)
