"""Start the action server, the Rasa server and the web app; stop them together.

``python -m bot.stack`` is what ``make run`` calls. One Ctrl-C stops all three; if one
of them dies, the others are stopped and the command exits non-zero with the reason.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Dict, List, Optional

from bot.clinic import load_clinic
from bot.settings import PROJECT_ROOT, Settings, api_token, load_settings

MODEL_PATH = PROJECT_ROOT / "models" / "current.tar.gz"
READY_TIMEOUT_S = 180.0
STOP_GRACE_S = 10.0


@dataclass
class Service:
    """One child process and the URL that answers when it is ready."""

    name: str
    command: List[str]
    health_url: str
    process: Optional[subprocess.Popen] = None


def services(settings: Settings, token: str, origins: List[str]) -> List[Service]:
    """The three servers of the embedded profile."""
    python = sys.executable
    cors = [settings.web_url, *origins]  # the demo page's own origin, then the clinic's
    return [
        Service(
            "actions",
            [python, "-m", "rasa_sdk", "--actions", "actions"]
            + ["--port", str(settings.actions_port)],
            f"{settings.actions_url}/health",
        ),
        Service(
            "rasa",
            [
                python, "-m", "rasa", "run",
                "--enable-api", "--auth-token", token,
                "--interface", settings.host, "--port", str(settings.rasa_port),
                "--model", str(MODEL_PATH),
                "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                "--cors", *cors,
            ],
            f"{settings.rasa_url}/status?token={token}",
        ),
        Service(
            "web",
            [python, "-m", "bot.web", "--host", settings.host, "--port", str(settings.web_port)],
            f"{settings.web_url}/healthz",
        ),
    ]  # fmt: skip


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """Owns the child processes."""

    def __init__(self, settings: Settings, members: List[Service]):
        self.settings = settings
        self.members = members

    def start(self) -> None:
        env = self.settings.child_environment(os.environ)
        for member in self.members:
            member.process = subprocess.Popen(
                member.command, cwd=PROJECT_ROOT, env=env, start_new_session=True
            )

    def exited(self) -> Optional[Service]:
        return next((m for m in self.members if m.process and m.process.poll() is not None), None)

    def wait_until_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(self.members)
        while pending:
            dead = self.exited()
            if dead:
                raise RuntimeError(f"{dead.name} exited with status {dead.process.returncode}")
            if time.monotonic() > deadline:
                names = ", ".join(m.name for m in pending)
                raise RuntimeError(f"not ready after {timeout_s:.0f} s: {names}")
            pending = [m for m in pending if not _answers(m.health_url)]
            time.sleep(0.5)

    def stop(self) -> None:
        for member in self.members:
            if member.process and member.process.poll() is None:
                os.killpg(member.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for member in self.members:
            if not member.process:
                continue
            try:
                member.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(member.process.pid, signal.SIGKILL)
                member.process.wait()


def urls(settings: Settings) -> Dict[str, str]:
    """What to open once the stack is up."""
    return {
        "Demo page with the chat widget": f"{settings.web_url}/",
        "Chat over HTTP (REST channel)": f"{settings.rasa_url}/webhooks/rest/webhook",
        "Rasa HTTP API (token in var/api-token)": f"{settings.rasa_url}/",
        "Action server": f"{settings.actions_url}/health",
    }


def main() -> int:
    started = time.monotonic()
    settings = load_settings()
    clinic = load_clinic()
    if not MODEL_PATH.exists():
        print(
            f"No trained model at {MODEL_PATH}: run `make train` (make run does).", file=sys.stderr
        )
        return 2
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    token = api_token(settings.var_dir)
    stack = Stack(settings, services(settings, token, list(clinic.allowed_origins)))
    stopping = False

    def request_stop(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    stack.start()
    try:
        stack.wait_until_ready()
        print(f"\nBackChat is up ({time.monotonic() - started:.1f} s). Open:", flush=True)
        for label, url in urls(settings).items():
            print(f"  {label:42} {url}", flush=True)
        print(f"Conversations are stored in {settings.tracker_db}. Ctrl-C stops everything.")
        while not stopping:
            dead = stack.exited()
            if dead:
                raise RuntimeError(f"{dead.name} exited with status {dead.process.returncode}")
            time.sleep(0.5)
        print("\nStopping BackChat...", flush=True)
        return 0
    except RuntimeError as error:
        if stopping:
            return 0
        print(f"\nBackChat stopped: {error}. The other servers were stopped too.", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
