"""The real Rasa server with the platform channels on, talking to fake platform APIs.

:func:`running_rasa` starts the fake Graph / Bot / REST APIs in a thread on 127.0.0.1,
then the action server and Rasa through the project's entry point
(``python -m bot.runtime.stack --only actions,rasa``, as ``make run`` does: Rasa runs
as ``bot.rasa_ext.rasa_server`` with the repository's credentials.yml) with every
channel variable set, the API base URLs pointing at the fake.
Tests post webhook requests to Rasa and read what the fake received.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.harness.stack import ROOT, RunningStack, free_port
from tests.support.fake_platforms import FakePlatforms

MODEL = ROOT / "models" / "current.tar.gz"
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
    stack: RunningStack
    platforms: FakePlatforms

    @property
    def url(self) -> str:
        return self.stack.rasa_url

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


@contextlib.contextmanager
def running_rasa(var: Path) -> Iterator[RasaServer]:
    """Fake platforms, then the action server and Rasa as ``make run`` starts them."""
    platforms = FakePlatforms(bot_name=SECRETS["TELEGRAM_BOT_NAME"])
    api = platforms.start_in_thread()
    ports = {"rasa": free_port(), "actions": free_port(), "web": free_port()}
    env = {
        **SECRETS,
        "FACEBOOK_API_URL": f"{api}/facebook",
        "TELEGRAM_API_URL": f"{api}/telegram",
        "TWILIO_API_URL": f"{api}/twilio",
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{ports['rasa']}/webhooks/telegram/webhook",
    }
    stack = RunningStack(var, token=TOKEN, ports=ports, env=env, only="actions,rasa")
    try:
        stack.start()
        yield RasaServer(stack, platforms)
    finally:
        if stack.process:
            stack.stop()
        platforms.stop_thread()
