"""The staff store over a tracker database written by the real stack (Rasa's own events)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.harness.staff import Client, ServedApp, staff_config
from bot.store import accounts, callbacks, conversations, open_store, summary
from bot.store.filters import ConversationFilter
from bot.web.staff.views.conversations import load_transcript

pytestmark = [pytest.mark.servers]


def test_the_read_model_of_what_rasa_wrote(real_stack, tmp_path):
    store = open_store(f"sqlite:///{real_stack.var_dir / 'tracker.db'}")
    try:
        store.migrate()
        summary.refresh(store)
        emergency = conversations.get(store, "stack-emergency")
        assert emergency["triage_result"] == "emergency" and emergency["red_flag"]
        assert "bladder_dysfunction" in emergency["red_flags"]
        assert emergency["turns"] == 3 and emergency["channel"] == "rest"
        caller = conversations.get(store, "stack-callback")
        assert caller["callback_requested"] and caller["low_confidence"] == 0
        [request] = [r for r in callbacks.queue(store) if r["sender_id"] == "stack-callback"]
        assert (request["name"], request["contact"]) == ("Jo <i>Smith</i>", "780-555-0142")
        f = ConversationFilter.from_args({"result": "emergency"})
        assert [r["sender_id"] for r in conversations.page(store, f, ZoneInfo("UTC")).rows] == [
            "stack-emergency"
        ]
    finally:
        store.dispose()


def test_the_staff_app_follows_a_live_stack(real_stack, tmp_path):
    url = f"sqlite:///{real_stack.var_dir / 'tracker.db'}"
    served = ServedApp(staff_config(url, tmp_path)).start()
    try:
        accounts.add_user(served.store, "lee", "correct horse battery", "staff")
        client = Client(served.url)
        assert client.login("lee", "correct horse battery").status == 303
        real_stack.chat("stack-live", "hello there")
        real_stack.chat("stack-live", "my lower back hurts for three months")
        listed = client.get("/staff/conversations?q=three+months")
        assert "stack-live" in listed.text
        found = load_transcript(served.app.ctx.staff, "stack-live")
        visitor = [t for t in found.turns if t.is_visitor]
        assert visitor[1].intent and visitor[1].confidence is not None
        assert "pain_duration_days" in dict(visitor[1].slots)
        page = client.get("/staff/conversation?id=stack-callback").text
        assert "Jo &lt;i&gt;Smith&lt;/i&gt;" in page and "<i>Smith</i>" not in page
    finally:
        served.stop()
