"""Drive the chat widget in a Playwright page as a visitor would (roles and labels first).

Playwright's CSS and role locators pierce the widget's open shadow root; the few checks
that need the shadow root's own state evaluate JavaScript against it.
"""

from __future__ import annotations

import json

from playwright.sync_api import Locator, Page

REPLY_TIMEOUT_MS = 30_000
SHADOW = "document.querySelector('#backchat-widget').shadowRoot"


class Widget:
    def __init__(self, page: Page):
        self.page = page

    # ------------------------------------------------------------------ parts
    @property
    def launcher(self) -> Locator:
        return self.page.locator(".launcher")

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog", name="BackChat")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Locator:
        return self.page.get_by_label("Message to BackChat")

    @property
    def replies(self) -> Locator:
        return self.page.get_by_role("group", name="Suggested replies").get_by_role("button")

    @property
    def status(self) -> Locator:
        return self.page.locator(".status-text")

    @property
    def banner(self) -> Locator:
        return self.page.locator(".banner")

    def bot_messages(self) -> Locator:
        return self.page.locator(".messages .msg.bot .bubble")

    def user_messages(self) -> Locator:
        return self.page.locator(".messages .msg.user .bubble")

    def bot_texts(self) -> list[str]:
        return [t.strip() for t in self.bot_messages().all_inner_texts()]

    def user_texts(self) -> list[str]:
        return [t.strip() for t in self.user_messages().all_inner_texts()]

    # ------------------------------------------------------------------ waiting
    def bot_count(self) -> int:
        return self.page.evaluate(f"{SHADOW}.querySelectorAll('.messages .msg.bot').length")

    def wait_for_bot_messages(self, more_than: int, timeout: int = REPLY_TIMEOUT_MS) -> None:
        """Until there are more than ``more_than`` bot messages and nothing is pending."""
        self.page.wait_for_function(
            f"""() => {{
                const root = {SHADOW};
                const wrap = root && root.querySelector('.wrap');
                return root.querySelectorAll('.messages .msg.bot').length > {more_than}
                    && wrap.getAttribute('data-pending') === '0'
                    && root.querySelector('.typing').hidden;
            }}""",
            timeout=timeout,
        )

    def wait_online(self, timeout: int = REPLY_TIMEOUT_MS) -> None:
        self.page.wait_for_function(
            f"() => {SHADOW}.querySelector('.wrap').dataset.connection === 'online'",
            timeout=timeout,
        )

    # ------------------------------------------------------------------ actions
    def open(self) -> None:
        self.page.get_by_role("button", name="Open chat with BackChat").click()

    def open_and_wait_for_greeting(self) -> None:
        self.open()
        self.wait_for_bot_messages(more_than=0)

    def click_reply(self, title: str) -> None:
        before = self.bot_count()
        self.replies.filter(has_text=title).first.click()
        self.wait_for_bot_messages(more_than=before)

    def type(self, text: str) -> None:
        before = self.bot_count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_bot_messages(more_than=before)

    def focused_label(self) -> str | None:
        """aria-label, or text, of the element focused inside the widget."""
        return self.page.evaluate(
            f"""() => {{
                const el = {SHADOW}.activeElement;
                if (!el) return null;
                return el.getAttribute('aria-label') || el.id || el.textContent.trim();
            }}"""
        )

    # ------------------------------------------------------------------ storage
    def storage_key(self, rasa_url: str) -> str:
        return f"backchat:{rasa_url}/socket.io"

    def stored(self, rasa_url: str) -> dict:
        raw = self.page.evaluate("key => sessionStorage.getItem(key)", self.storage_key(rasa_url))
        return json.loads(raw) if raw else {}
