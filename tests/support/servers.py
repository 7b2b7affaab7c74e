"""Ports, readiness and stopping for servers that tests start."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator

from sanic import Sanic

from bot.harness.stack import free_port

__all__ = ["answers", "free_port", "serving_app", "stop_group", "wait_for_url"]


def answers(url: str) -> bool:
    """True when ``GET url`` answers 200 within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_for_url(url: str, process: subprocess.Popen, timeout_s: float = 90) -> None:
    """Wait until ``url`` answers; RuntimeError if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.2)


def stop_group(process: subprocess.Popen, grace_s: float = 15) -> None:
    """SIGTERM to the process's group, SIGKILL after ``grace_s``."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.asynccontextmanager
async def serving_app(app: Sanic) -> AsyncIterator[str]:
    """Serve ``app`` on a free port in the running event loop; yields its base URL."""
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
