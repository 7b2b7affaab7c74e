"""A visitor on each platform: types, or picks one of the options the bot showed.

``say`` and ``choose`` post a signed webhook request to the running Rasa server and
return the bot's replies as the platform's fake API received them, as
``Reply(text, options)``: Messenger quick replies, Telegram inline keyboard buttons,
or the numbered lines of an SMS. ``choose`` picks an option the way a person would on
that platform: tap the quick reply, tap the inline button, or type its number.
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

from tests.channels.server import SECRETS, RasaServer
from tests.support import payloads

NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)
_chat_ids = itertools.count(int(uuid.uuid4().int % 10**8) * 10)


@dataclass
class Reply:
    text: str
    options: list[str] = field(default_factory=list)


class Visitor:
    sender: str  # the platform's id of the visitor
    channel: str  # the Rasa channel, whose namespace holds the conversation id
    rasa: RasaServer

    @property
    def conversation(self) -> str:
        """The conversation id Rasa stores: the channel's namespace, then the platform id."""
        return f"{self.channel}:{self.sender}"

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    def say(self, text: str) -> list[Reply]:
        raise NotImplementedError

    def choose(self, title: str) -> list[Reply]:
        raise NotImplementedError

    def last_options(self) -> list[str]:
        return next((r.options for r in reversed(self.replies) if r.options), [])

    def _check(self, result: tuple[int, str]) -> None:
        status, body = result
        assert status == 200, f"{status}: {body}"


class MessengerVisitor(Visitor):
    channel = "facebook"

    def __init__(self, rasa: RasaServer):
        super().__init__()
        self.rasa = rasa
        self.sender = str(10**15 + next(_chat_ids))
        self.secret = SECRETS["FACEBOOK_APP_SECRET"]
        self._options: dict[str, str] = {}

    def _post(self, body: bytes) -> list[Reply]:
        seen = len(self.rasa.platforms.messenger_messages(self.sender))
        self._check(self.rasa.post("facebook", body, payloads.messenger_headers(self.secret, body)))
        new = self.rasa.platforms.messenger_messages(self.sender)[seen:]
        replies = []
        for message in new:
            quick = message.get("quick_replies") or []
            if quick:
                self._options = {q["title"]: q["payload"] for q in quick}
            replies.append(Reply(message.get("text", ""), [q["title"] for q in quick]))
        self.replies += replies
        return replies

    def say(self, text: str) -> list[Reply]:
        return self._post(payloads.messenger_text(self.sender, text))

    def choose(self, title: str) -> list[Reply]:
        """Tap the quick reply showing ``title`` (cut short to 20 characters if longer)."""
        shown = next((t for t in self._options if t == title or _cut(title, t)), None)
        assert shown, f"{title!r} not offered: {list(self._options)}"
        return self._post(payloads.messenger_quick_reply(self.sender, shown, self._options[shown]))


def _cut(title: str, shown: str) -> bool:
    return shown.endswith("…") and len(shown) == 20 and title.startswith(shown[:-1])


class TelegramVisitor(Visitor):
    channel = "telegram"

    def __init__(self, rasa: RasaServer):
        super().__init__()
        self.rasa = rasa
        self.chat_id = next(_chat_ids)
        self.sender = str(self.chat_id)
        self.secret = SECRETS["TELEGRAM_WEBHOOK_SECRET"]
        self._keyboard: dict[str, str] = {}
        self._keyboard_message = 0

    def _post(self, body: bytes) -> list[Reply]:
        platforms = self.rasa.platforms
        seen = len(platforms.telegram_calls("sendMessage", self.chat_id))
        self._check(self.rasa.post("telegram", body, payloads.telegram_headers(self.secret)))
        replies = []
        for call in platforms.telegram_calls("sendMessage", self.chat_id)[seen:]:
            rows = (call.body.get("reply_markup") or {}).get("inline_keyboard") or []
            keys = [key for row in rows for key in row]
            if keys:
                self._keyboard = {k["text"]: k["callback_data"] for k in keys}
                self._keyboard_message = call.result["message_id"]
            replies.append(Reply(call.body.get("text", ""), [k["text"] for k in keys]))
        self.replies += replies
        return replies

    def say(self, text: str) -> list[Reply]:
        return self._post(payloads.telegram_text(self.chat_id, text))

    def choose(self, title: str) -> list[Reply]:
        assert title in self._keyboard, f"{title!r} not offered: {list(self._keyboard)}"
        data = self._keyboard[title]
        return self._post(payloads.telegram_callback(self.chat_id, data, self._keyboard_message))


class TwilioVisitor(Visitor):
    """An SMS sender, or a WhatsApp one with ``whatsapp=True``."""

    channel = "twilio"

    def __init__(self, rasa: RasaServer, whatsapp: bool = False):
        super().__init__()
        self.rasa = rasa
        number = f"+1780{next(_chat_ids) % 10**7:07d}"
        self.sender = f"whatsapp:{number}" if whatsapp else number
        clinic = SECRETS["TWILIO_WHATSAPP_NUMBER"] if whatsapp else SECRETS["TWILIO_NUMBER"]
        self.clinic_number = f"whatsapp:{clinic}" if whatsapp else clinic

    def _post(self, text: str) -> list[Reply]:
        params, _ = payloads.twilio_params(
            self.sender, text, self.clinic_number, SECRETS["TWILIO_ACCOUNT_SID"]
        )
        body, headers = payloads.twilio_request(
            SECRETS["TWILIO_AUTH_TOKEN"], SECRETS["TWILIO_WEBHOOK_URL"], params
        )
        seen = len(self.rasa.platforms.twilio_messages(self.sender))
        self._check(self.rasa.post("twilio", body, headers))
        new = self.rasa.platforms.twilio_messages(self.sender)[seen:]
        for message in new:
            assert message["From"] == self.clinic_number, message
        replies = [
            Reply(m["Body"], [title for _, title in NUMBERED.findall(m["Body"])]) for m in new
        ]
        self.replies += replies
        return replies

    def say(self, text: str) -> list[Reply]:
        return self._post(text)

    def choose(self, title: str) -> list[Reply]:
        options = self.last_options()
        assert title in options, f"{title!r} not offered: {options}"
        return self._post(str(options.index(title) + 1))


BOOKING_URL = "https://example-clinic.ca/book"  # clinic.yml links.booking
FORM_ANSWERS = {  # the option a visitor picks for each question of the triage form
    "pain_location": "Lower back",
    "pain_duration_days": "6 to 12 weeks",
    "radiation": "Stays in my back",
    "pain_side": "Left",
    "leg_numbness": "No",
    "leg_weakness": "No",
    "worse_sitting": "Bending or lifting",
    "screen_cauda": "Yes",  # new trouble with bladder or bowel: the red flag
    "screen_serious": "No",
    "screen_injury_night": "No",
}


def triage_by_options(visitor: Visitor, answers: dict[str, str] = FORM_ANSWERS) -> list[str]:
    """hi, then the whole triage form answered with the options shown; the slots asked."""
    welcome = visitor.say("hi")
    assert any("not a doctor" in r.text for r in welcome), welcome
    visitor.choose("My lower back hurts")
    asked = []
    for _ in range(len(answers) + 2):
        slot = visitor.rasa.tracker(visitor.conversation)["slots"].get("requested_slot")
        if not slot:
            return asked
        asked.append(slot)
        visitor.choose(answers[slot])
    raise AssertionError(f"the form did not end: {asked}")


def assert_emergency_without_booking(visitor: Visitor) -> None:
    slots = visitor.rasa.tracker(visitor.conversation)["slots"]
    assert slots["triage_result"] == "emergency"
    assert "911" in visitor.replies[-1].text and "emergency" in visitor.replies[-1].text
    assert not any(BOOKING_URL in r.text for r in visitor.replies)
