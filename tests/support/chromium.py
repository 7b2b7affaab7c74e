"""Debian's Chromium driven by Playwright, for the browser and staff suites."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"this test needs {what}")
    pytest.skip(f"this test needs {what}")


@contextlib.contextmanager
def launched_chromium() -> Iterator:
    """A Playwright ``Browser`` on Debian's Chromium (skips or fails when it is missing)."""
    if not CHROMIUM.exists():
        missing("Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
