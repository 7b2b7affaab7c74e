"""The widget on the demo page, talking to the real Rasa, action and web servers."""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio

from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.servers]

WELCOME = "I'm BackChat"
# What the visitor does for each question the triage form asks (its requested_slot).
ANSWERS: dict[str, tuple[str, str]] = {
    "pain_location": ("click", "Lower back"),
    "pain_duration_days": ("type", "about three weeks"),
    "radiation": ("click", "Down the thigh"),
    "pain_side": ("click", "Left"),
    "leg_numbness": ("type", "no"),
    "leg_weakness": ("click", "No"),
    "worse_sitting": ("click", "Bending or lifting"),
    "screen_cauda": ("click", "No"),
    "screen_serious": ("click", "No"),
    "screen_injury_night": ("click", "No"),
}


def session_id(widget: Widget, stack) -> str:
    """Rasa's conversation id of the widget's session: the widget channel's namespace."""
    return conversation_of(widget.stored(stack.rasa_url)["token"])


def conversation_of(token: str) -> str:
    """Rasa's conversation id of a widget session token: ``socketio:<session id>``."""
    return "socketio:" + token.split(".")[0]


def user_texts_in_tracker(stack, sender: str) -> list[str]:
    events = stack.tracker(sender)["events"]
    return [e.get("text") for e in events if e["event"] == "user"]


def hold_triage(widget: Widget, stack) -> list[str]:
    """Answer whatever the form asks until it is done; returns the questions asked."""
    sender = session_id(widget, stack)
    asked = []
    for _ in range(15):
        slot = stack.tracker(sender)["slots"].get("requested_slot")
        if not slot:
            return asked
        assert slot in ANSWERS, f"unexpected question {slot}: {widget.bot_texts()[-1]}"
        asked.append(slot)
        how, answer = ANSWERS[slot]
        if how == "click":
            widget.click_reply(answer)
        else:
            widget.type(answer)
    raise AssertionError(f"triage did not end: {asked}")


def test_a_whole_triage_with_buttons_and_typing_survives_a_reload(page, widget, stack):
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    assert widget.bot_texts()[0].startswith("Hi, I'm BackChat")
    assert widget.user_texts() == [], "the silent start is not shown as the visitor's message"
    assert widget.status.inner_text() == "Online"

    widget.click_reply("My lower back hurts")
    assert widget.user_texts() == ["My lower back hurts"], "a button shows its title"
    asked = hold_triage(widget, stack)
    for question in ("pain_duration_days", "radiation", "leg_numbness", "worse_sitting"):
        assert question in asked
    assert asked[-3:] == ["screen_cauda", "screen_serious", "screen_injury_night"]

    sender = session_id(widget, stack)
    assert stack.tracker(sender)["slots"]["triage_result"], "the triage ended with a result"
    assert page.locator(".bubble a", has_text="example-clinic.ca/acupuncture-low-back").count()
    booking = page.locator(".bubble a", has_text="example-clinic.ca/book").first
    assert booking.get_attribute("target") == "_blank"
    assert "noopener" in booking.get_attribute("rel")
    # What the visitor typed and what the buttons sent reached Rasa as this session.
    said = user_texts_in_tracker(stack, sender)
    assert said[0] == "/greet" and "about three weeks" in said
    assert any(text.startswith("/inform") for text in said)
    times = page.locator(".messages .msg time")
    assert times.count() == len(widget.bot_texts()) + len(widget.user_texts())
    assert re.match(r"\d{4}-\d\d-\d\dT", times.first.get_attribute("datetime"))

    before_bot, before_user = widget.bot_texts(), widget.user_texts()
    replies_before = widget.replies.all_inner_texts()
    page.reload()
    widget.wait_online()
    page.wait_for_timeout(500)
    assert widget.panel.is_visible(), "the open panel stays open"
    assert widget.bot_texts() == before_bot
    assert widget.user_texts() == before_user
    assert widget.replies.all_inner_texts() == replies_before
    assert session_id(widget, stack) == sender, "the same session was resumed"
    assert user_texts_in_tracker(stack, sender).count("/greet") == 1, "greeted exactly once"
    assert sum(WELCOME in t for t in widget.bot_texts()) == 1

    widget.click_reply("No thanks")
    assert len(widget.bot_texts()) > len(before_bot), "the resumed session still answers"


def test_start_over_begins_a_new_session(page, widget, stack):
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    widget.type("my lower back hurts")
    first = session_id(widget, stack)

    page.get_by_role("button", name="Start over").click()
    confirm = page.locator(".confirm").get_by_role("button", name="Start over")
    assert confirm.is_visible()
    assert widget.focused_label() == "Start over"
    confirm.click()
    widget.wait_for_bot_messages(more_than=0)
    assert widget.user_texts() == []
    assert sum(WELCOME in t for t in widget.bot_texts()) == 1
    second = session_id(widget, stack)
    assert second != first
    assert user_texts_in_tracker(stack, second) == ["/greet"]
    assert "my lower back hurts" in user_texts_in_tracker(stack, first)


def test_markup_typed_by_the_visitor_is_shown_as_text(page, widget, stack):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    widget.type("<script>alert(1)</script>")
    widget.type('<img src=x onerror="alert(2)"> **not bold**')
    assert widget.user_texts() == [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)"> **not bold**',
    ]
    created = page.evaluate(
        "() => document.querySelector('#backchat-widget').shadowRoot"
        ".querySelectorAll('.messages script, .messages img, .user strong').length"
    )
    assert created == 0
    assert dialogs == []


def shadow_focus(widget: Widget) -> str:
    return widget.page.evaluate(
        "() => { const a = document.activeElement;"
        " if (!a || a.id !== 'backchat-widget') return 'page:' + (a && a.tagName);"
        " const el = a.shadowRoot.activeElement;"
        " return el ? (el.getAttribute('aria-label') || el.id || el.textContent.trim()) : ''; }"
    )


def test_keyboard_only(page, widget, stack):
    page.goto(stack.web_url)
    for _ in range(6):
        page.keyboard.press("Tab")
        if shadow_focus(widget).startswith("Open chat"):
            break
    assert shadow_focus(widget) == "Open chat with BackChat"
    page.keyboard.press("Enter")
    assert widget.panel.is_visible()
    assert shadow_focus(widget) == "bc-input", "opening the chat focuses the message box"
    widget.wait_for_bot_messages(more_than=1)

    page.keyboard.press("Shift+Tab")
    assert shadow_focus(widget) == "I have a question", "the last suggested reply"
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert shadow_focus(widget) == "My lower back hurts"
    before = widget.bot_count()
    page.keyboard.press("Enter")
    widget.wait_for_bot_messages(more_than=before)
    assert widget.user_texts() == ["My lower back hurts"]
    assert shadow_focus(widget) == "bc-input", "focus returns to the message box"

    before = widget.bot_count()
    page.keyboard.type("about three weeks")
    page.keyboard.press("Enter")
    widget.wait_for_bot_messages(more_than=before)
    assert widget.user_texts()[-1] == "about three weeks"

    page.keyboard.press("Escape")
    assert not widget.panel.is_visible()
    assert shadow_focus(widget) == "Close chat" or shadow_focus(widget).startswith("Open chat")
    page.keyboard.press("Enter")
    assert widget.panel.is_visible()
    assert shadow_focus(widget) == "bc-input"


def forged_tokens(token: str) -> list[str]:
    sid, issued, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [sid, f"{sid}.{issued}.{flipped}", f"{sid}.{issued}", f"{sid}.0.{signature}"]


def test_a_forged_session_in_the_browser_receives_nothing(new_page, stack):
    owner = Widget(new_page())
    owner.page.goto(stack.web_url)
    owner.open_and_wait_for_greeting()
    token = owner.stored(stack.rasa_url)["token"]
    owner_id = conversation_of(token)

    intruder_page = new_page()
    intruder = Widget(intruder_page)
    forged = forged_tokens(token)[1]
    state = {"v": 1, "token": forged, "messages": [], "pending": [], "unread": 0, "open": True}
    intruder_page.add_init_script(
        f"sessionStorage.setItem({json.dumps(intruder.storage_key(stack.rasa_url))},"
        f" {json.dumps(json.dumps(state))})"
    )
    intruder_page.goto(stack.web_url)
    intruder.wait_for_bot_messages(more_than=0)
    notices = intruder_page.locator(".messages .msg.system").all_inner_texts()
    assert any("could not be continued" in n for n in notices)
    assert session_id(intruder, stack) != owner_id

    intruder_before = intruder.bot_texts()
    owner.type("my lower back hurts since last week")
    intruder_page.wait_for_timeout(1500)
    assert intruder.bot_texts() == intruder_before
    assert "my lower back hurts since last week" not in user_texts_in_tracker(
        stack, session_id(intruder, stack)
    )


def run_outside_playwright(scenario):
    """asyncio.run in a thread of its own: Playwright's sync API owns this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


class ProtocolClient:
    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[dict] = []
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self._bot)
        self.client.on("session_confirm", self._confirm)

    async def _bot(self, data):
        self.received.append(data)

    async def _confirm(self, data):
        await self.confirmed.put(data)

    async def start(self, session_id=None) -> str:
        await self.client.connect(self.url, transports=["polling"])
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, text: str, **extra) -> dict:
        return await self.client.call("user_uttered", {"message": text, **extra}, timeout=30)

    async def close(self) -> None:
        await self.client.eio.disconnect(abort=True)


def bot_texts_in_tracker(stack, sender: str) -> list[str]:
    return [e.get("text") for e in stack.tracker(sender)["events"] if e["event"] == "bot"]


def test_forged_and_guessed_ids_receive_nothing_from_the_real_server(stack):
    async def scenario():
        owner = ProtocolClient(stack.rasa_url)
        token = await owner.start()
        attackers = []
        for forged in forged_tokens(token):
            attacker = ProtocolClient(stack.rasa_url)
            given = await attacker.start(forged)
            assert given.split(".")[0] != token.split(".")[0]
            attackers.append((attacker, conversation_of(given)))
        sneaky, sneaky_id = attackers[0]
        assert (await sneaky.say("what did they say?", session_id=token))["status"] == "ok"
        assert (await owner.say("/greet"))["status"] == "ok"
        assert (await owner.say("my lower back hurts"))["status"] == "ok"
        await asyncio.sleep(1)
        received = {sid: [m.get("text") for m in client.received] for client, sid in attackers}
        owner_received = [m.get("text") for m in owner.received]
        for client in [owner, *(client for client, _ in attackers)]:
            await client.close()
        return conversation_of(token), owner_received, sneaky_id, received

    owner_id, owner_received, sneaky_id, received = run_outside_playwright(scenario)
    assert owner_received == bot_texts_in_tracker(stack, owner_id)
    assert any(WELCOME in (text or "") for text in owner_received)
    assert "what did they say?" not in user_texts_in_tracker(stack, owner_id)
    assert "what did they say?" in user_texts_in_tracker(stack, sneaky_id)
    assert received.pop(sneaky_id) == bot_texts_in_tracker(stack, sneaky_id), (
        "a message naming another session is answered in the sender's own session only"
    )
    assert all(texts == [] for texts in received.values()), "forged sessions hear nothing"
