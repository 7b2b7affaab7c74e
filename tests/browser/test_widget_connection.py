"""Connection behaviour: reconnecting, resending, an unreachable server, unread messages.

These use the scripted server (the real signed channel and web app, a scripted bot) so
the server can be stopped and restarted within a test; long polling is checked against
the real stack.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bot.harness.stack import free_port

pytestmark = [pytest.mark.browser, pytest.mark.servers]


def test_reconnects_with_a_visible_state_and_resends_unsent_messages(page, widget, scripted):
    page.goto(scripted.web_url)
    widget.open()
    widget.wait_for_bot_messages(more_than=1)
    widget.click_reply("Yes")
    assert widget.bot_texts()[-1] == "Echo: /affirm"
    try:
        scripted.stop_rasa()
        expect(widget.status).to_have_text(re.compile("Reconnecting|Offline"))
        expect(widget.banner).to_be_visible()
        widget.input.fill("sent while the server was away")
        widget.input.press("Enter")
        pending = page.locator(".messages .msg.user").last
        expect(pending).to_contain_text("Not sent yet")
        page.wait_for_timeout(1500)
        assert widget.bot_texts()[-1] == "Echo: /affirm", "no typing indicator reply while away"
    finally:
        scripted.start_rasa()
    expect(widget.status).to_have_text("Online", timeout=30_000)
    widget.wait_for_bot_messages(more_than=3)
    assert widget.bot_texts()[-1] == "Echo: sent while the server was away"
    expect(widget.banner).to_be_hidden()
    expect(page.locator(".messages .msg.user").last).not_to_contain_text("Not sent yet")
    assert page.locator(".messages .msg.system").count() == 0, "the same session was resumed"
    assert sum("scripted" in t for t in widget.bot_texts()) == 1, "no second greeting"


def test_messages_arriving_while_closed_show_an_unread_badge(page, widget, scripted):
    page.goto(scripted.web_url)
    widget.open()
    widget.wait_for_bot_messages(more_than=1)
    widget.input.fill("slow: are you there?")
    widget.input.press("Enter")
    page.get_by_role("button", name="Close chat").first.click()
    expect(widget.panel).to_be_hidden()
    badge = page.locator(".badge")
    expect(badge).to_have_text("1", timeout=10_000)
    expect(widget.launcher).to_have_attribute(
        "aria-label", "Open chat with BackChat (1 unread message)"
    )
    announced = page.locator("[aria-live=polite]").last
    expect(announced).to_contain_text("Echo: slow: are you there?")
    widget.launcher.click()
    expect(badge).to_be_hidden()
    assert widget.bot_texts()[-1] == "Echo: slow: are you there?"


def test_bot_messages_get_safe_markdown_and_markup_stays_text(page, widget, scripted):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(scripted.web_url)
    widget.open()
    widget.wait_for_bot_messages(more_than=1)
    assert page.locator(".messages .msg.bot strong", has_text="scripted").count() == 1
    widget.type(
        "<script>alert(1)</script> <b>hi</b> **strong** [docs](https://example.org/a) "
        "[bad](javascript:alert(2)) see https://example.org/b.\n- one\n- two"
    )
    bubble = page.locator(".messages .msg.bot .bubble").last
    assert bubble.inner_text().startswith("Echo: <script>alert(1)</script> <b>hi</b> strong")
    assert bubble.locator("strong").inner_text() == "strong"
    assert bubble.locator("li").all_inner_texts() == ["one", "two"]
    links = bubble.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["https://example.org/a", "https://example.org/b"]
    for i in range(links.count()):
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
    assert "[bad](javascript:alert(2))" in bubble.inner_text()
    assert bubble.locator("script, b").count() == 0
    assert dialogs == []


def test_an_unreachable_server_gets_a_clear_message_not_a_spinner(page, widget, scripted):
    url = scripted.page_with_widget(
        "unreachable",
        server=f"http://127.0.0.1:{free_port()}",
        **{"offline-message": "The chat is unavailable. Please call 780-555-0100."},
    )
    page.goto(url)
    widget.open()
    expect(widget.status).to_have_text("Connecting…")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "The chat is unavailable. Please call 780-555-0100.", timeout=15_000
    )
    expect(widget.status).to_have_text("Offline")
    expect(page.locator(".typing")).to_be_hidden()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    widget.input.fill("hello?")
    widget.input.press("Enter")
    expect(page.locator(".messages .msg.user").last).to_contain_text("Not sent yet")
    expect(page.locator(".typing")).to_be_hidden()
    page.get_by_role("button", name="Try again").click()
    expect(widget.status).to_have_text(re.compile("Connecting…|Offline"))


BLOCK_WEBSOCKETS = """
window.__websocketAttempts = [];
window.WebSocket = class BlockedWebSocket {
  constructor(url) {
    window.__websocketAttempts.push(url);
    this.url = url;
    this.readyState = 0;
    setTimeout(() => {  // what a browser reports when a proxy refuses the upgrade
      this.readyState = 3;
      if (this.onerror) this.onerror(new Event("error"));
      if (this.onclose) this.onclose({ code: 1006, reason: "", wasClean: false });
    }, 20);
  }
  send() {}
  close() {}
};
"""


def test_falls_back_to_long_polling_when_websockets_are_blocked(page, widget, stack):
    page.add_init_script(BLOCK_WEBSOCKETS)
    polled = []
    page.on("request", lambda r: polled.append(r.url) if "transport=polling" in r.url else None)
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    widget.click_reply("My lower back hurts")
    attempts = page.evaluate("window.__websocketAttempts")
    assert attempts and "transport=websocket" in attempts[0], "websockets were tried first"
    assert polled, "then long polling carried the conversation"
    assert widget.user_texts() == ["My lower back hurts"]
    assert len(widget.bot_texts()) >= 3
