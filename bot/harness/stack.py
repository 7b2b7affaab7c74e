"""Start the real BackChat stack (python -m bot.runtime.stack) on free ports: tests, eval, bench.

``RunningStack(var_dir, env={"BACKCHAT_PROFILE": "production", ...}, only="rasa")`` runs
``python -m bot.runtime.stack --only rasa`` with those variables on top of this process's.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningStack:
    """One ``python -m bot.runtime.stack`` (a profile's variables, optional ``--only``) and
    HTTP helpers to talk to it."""

    def __init__(
        self,
        var_dir: Path,
        token: str = "test-token",
        ports: dict | None = None,
        env: dict[str, str] | None = None,
        only: str | None = None,
    ):
        self.var_dir = var_dir
        self.token = token
        self.ports = ports or {"rasa": free_port(), "actions": free_port(), "web": free_port()}
        self.extra_env = dict(env or {})
        self.only = only
        self.output: list[str] = []
        self.process: subprocess.Popen | None = None
        self.startup_s: float | None = None

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['web']}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['actions']}"

    def command(self) -> list[str]:
        only = ["--only", self.only] if self.only else []
        return [sys.executable, "-m", "bot.runtime.stack", *only]

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            BACKCHAT_RASA_PORT=str(self.ports["rasa"]),
            BACKCHAT_ACTIONS_PORT=str(self.ports["actions"]),
            BACKCHAT_WEB_PORT=str(self.ports["web"]),
            BACKCHAT_VAR_DIR=str(self.var_dir),
            BACKCHAT_API_TOKEN=self.token,
            PYTHONUNBUFFERED="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
        )
        return {**env, **self.extra_env}

    def start(self, wait: bool = True, timeout_s: float = START_TIMEOUT_S) -> RunningStack:
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.environment(), text=True, errors="replace",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._collect, daemon=True).start()
        if wait:
            self._wait_for("BackChat is up", timeout_s)
            self.startup_s = time.monotonic() - started
        return self

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def _wait_for(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if any(text in line for line in self.output):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise AssertionError(f"stack did not print {text!r}:\n{''.join(self.output[-60:])}")

    def wait_exit(self, timeout_s: float = 60) -> int:
        return self.process.wait(timeout_s)

    def stop(self) -> int:
        """Ctrl-C, as a person would, and wait for everything to stop."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        return self.wait_exit()

    def pids(self) -> list[int]:
        """The stack and every process under it (servers and their Sanic workers)."""
        if not self.process:
            return []
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            try:
                tasks = Path(f"/proc/{pid}/task").iterdir()
                for task in tasks:
                    children = (task / "children").read_text().split()
                    queue.extend(int(child) for child in children)
            except OSError:
                continue
        return found

    def chat(self, sender: str, text: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook", data=body,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def tracker(self, sender: str) -> dict:
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())
