"""The widget's files: size budget, no CDN, the vendored client, and the demo page's tag."""

import asyncio
import gzip
import hashlib
import itertools
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from sanic import Sanic

from bot.clinic import load_clinic
from bot.web.app import HERE, create_app
from tests.support.servers import free_port

STATIC = HERE / "static"
BUDGET_BYTES = 60 * 1024
VENDORED_SHA256 = "d5d79a35039e860b32bdef4795528b05c2f788d4b2d9dacc913120e2878f7b3f"
_names = itertools.count()


def gzipped_size(*names: str) -> int:
    return sum(len(gzip.compress((STATIC / n).read_bytes(), 9)) for n in names)


def test_widget_js_and_css_stay_under_60_kb_gzipped():
    size = gzipped_size("widget.js", "widget.css")
    print(f"widget.js + widget.css gzipped: {size} bytes ({size / 1024:.1f} kB)")
    assert size < BUDGET_BYTES


@pytest.mark.parametrize("name", ["widget.js", "widget.css"])
def test_nothing_is_loaded_from_elsewhere(name):
    text = (STATIC / name).read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s'\"<>)]+", text))
    assert urls <= {"http://www.w3.org/2000/svg", "https://WEB/static/widget.js", "https://RASA"}
    assert "@import" not in text


def test_the_vendored_socket_io_client_is_the_published_file_with_its_licence():
    data = (STATIC / "vendor" / "socket.io.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == VENDORED_SHA256
    assert data.startswith(b"/*!\n * Socket.IO v4.")
    assert "MIT License" in (STATIC / "vendor" / "socket.io-client.LICENSE").read_text()


class ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def fetch_from_app(paths):
    async def scenario():
        Sanic.test_mode = True
        try:
            app = create_app(
                load_clinic(), f"widget_assets_{next(_names)}", "http://rasa.test:5005/"
            )
            port = free_port()
            server = await app.create_server(
                host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
            )
            await server.startup()
            loop = asyncio.get_running_loop()

            def get(path):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
                    return response.status, response.headers.get("content-type"), response.read()

            try:
                return [await loop.run_in_executor(None, get, p) for p in paths]
            finally:
                server.close()
                await server.wait_closed()
        finally:
            Sanic.test_mode = False

    with ThreadPoolExecutor(max_workers=1) as pool:  # whatever loop this thread has
        return pool.submit(lambda: asyncio.run(scenario())).result()


def test_the_demo_page_embeds_the_widget_with_one_tag_and_serves_its_files():
    paths = ["/", "/static/widget.js", "/static/widget.css", "/static/vendor/socket.io.min.js"]
    (status, _, page), *assets = fetch_from_app(paths)
    assert status == 200
    parser = ScriptTags()
    parser.feed(page.decode())
    assert len(parser.scripts) == 1
    tag = parser.scripts[0]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/static/widget\.js", tag["src"])
    assert tag["data-server"] == "http://rasa.test:5005"
    assert "defer" in tag
    assert "780-555-0100" in tag["data-offline-message"]
    for (status, _, body), path in zip(assets, paths[1:], strict=False):
        assert status == 200 and body, path
    assert "javascript" in assets[0][1] and "css" in assets[1][1]
