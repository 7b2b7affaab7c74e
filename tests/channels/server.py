"""The real Rasa server with the platform channels on, talking to fake platform APIs.

:func:`running_rasa` starts the fake Graph / Bot / REST APIs in a thread on 127.0.0.1,
the action server, and ``rasa run`` on the trained model with the repository's
credentials.yml and every channel variable set, the API base URLs pointing at the fake.
Tests post webhook requests to Rasa and read what the fake received.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.harness.stack import ROOT, free_port
from tests.support.fake_platforms import FakePlatforms

MODEL = ROOT / "models" / "current.tar.gz"
START_TIMEOUT_S = 240
TOKEN = "channel-tests-token"
SECRETS = {
    "FACEBOOK_VERIFY_TOKEN": "verify-me-4d2",
    "FACEBOOK_APP_SECRET": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAGm0PX4ZCpsBAtestpagetoken",
    "TELEGRAM_ACCESS_TOKEN": "5550001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "TELEGRAM_BOT_NAME": "BackChatTestBot",
    "TELEGRAM_WEBHOOK_SECRET": "tg_webhook-secret_0123456789",
    "TWILIO_ACCOUNT_SID": "AC" + "a1" * 16,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token-0123456789ab",
    "TWILIO_NUMBER": "+15875550100",
    "TWILIO_WHATSAPP_NUMBER": "+14155238886",
    # Twilio calls the clinic's public URL; a proxy hands the request on to Rasa.
    "TWILIO_WEBHOOK_URL": "https://backchat.example-clinic.ca/webhooks/twilio/webhook",
}


def credentials_text() -> str:
    """The repository's credentials.yml (it lists every channel)."""
    return (ROOT / "credentials.yml").read_text(encoding="utf-8")


@dataclass
class RasaServer:
    url: str
    platforms: FakePlatforms
    env: dict[str, str]
    log: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def webhook(self, channel: str) -> str:
        return f"{self.url}/webhooks/{channel}/webhook"

    def post(self, channel: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(self.webhook(channel), data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def tracker(self, sender: str) -> dict:
        status, text = self.get(f"/conversations/{sender}/tracker?token={TOKEN}")
        assert status == 200, text
        return json.loads(text)

    def user_texts(self, sender: str) -> list[str]:
        events = self.tracker(sender)["events"]
        return [e.get("text") for e in events if e["event"] == "user"]

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def running_rasa(var: Path) -> Iterator[RasaServer]:
    """Fake platforms, action server and Rasa; stopped on exit."""
    credentials = var / "credentials.yml"
    credentials.write_text(credentials_text(), encoding="utf-8")
    platforms = FakePlatforms(bot_name=SECRETS["TELEGRAM_BOT_NAME"])
    api = platforms.start_in_thread()
    rasa_port, actions_port = free_port(), free_port()
    url = f"http://127.0.0.1:{rasa_port}"
    env = {
        **os.environ,
        **SECRETS,
        "FACEBOOK_API_URL": f"{api}/facebook",
        "TELEGRAM_API_URL": f"{api}/telegram",
        "TWILIO_API_URL": f"{api}/twilio",
        "TELEGRAM_WEBHOOK_URL": f"{url}/webhooks/telegram/webhook",
        "BACKCHAT_ACTIONS_PORT": str(actions_port),
        "BACKCHAT_VAR_DIR": str(var),
        "PYTHONUNBUFFERED": "1",
    }
    log = var / "servers.log"
    server = RasaServer(url, platforms, env, log)
    python = sys.executable
    commands = [
        [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        [
            python, "-m", "rasa", "run", "--enable-api", "--auth-token", TOKEN,
            "--interface", "127.0.0.1", "--port", str(rasa_port), "--model", str(MODEL),
            "--endpoints", "endpoints.yml", "--credentials", str(credentials),
        ],
    ]  # fmt: skip
    with log.open("w") as output:
        for command in commands:
            server.processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        health = [f"http://127.0.0.1:{actions_port}/health", f"{url}/status?token={TOKEN}"]
        while not all(_answers(u) for u in health):
            dead = [p.args[2] for p in server.processes if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise RuntimeError(f"servers did not start ({dead}):\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
    finally:
        for process in reversed(server.processes):
            _stop(process)
        platforms.stop_thread()
