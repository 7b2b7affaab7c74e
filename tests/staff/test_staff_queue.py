"""The review queue over HTTP: staff's default page, ranked, each row saying why."""

from __future__ import annotations

import re

from bot.harness.staff import Client
from bot.store import labels


def queue_ids(reply) -> list:
    return re.findall(r'href="/staff/conversation\?id=([\w-]+)"', reply.text)


def test_staff_land_on_the_queue_after_login(served):
    c = Client(served.url)
    c.get("/staff/login")
    reply = c.post("/staff/login", {"name": "sam", "password": "correct horse battery"})
    assert reply.status == 303 and reply.location == "/staff/queue"
    assert c.get("/staff/").location == "/staff/queue"


def test_the_queue_ranks_and_says_why(served, staff_member):
    page = staff_member.get("/staff/queue")
    assert page.status == 200
    ids = queue_ids(page)
    assert ids[:3] == ["visitor-emergency", "visitor-callback", "visitor-fallback"]
    assert "visitor-chronic" not in ids  # nothing called for a look
    rows = re.findall(r'<td class="why">(.*?)</td>', page.text, re.S)
    assert "a red flag was raised" in rows[0] and "the bot flagged it for staff" in rows[0]
    assert "asked for a call-back" in rows[1]
    assert "the bot did not understand (fallback)" in rows[2]
    assert "left in the middle of the questions" in rows[2]
    only = staff_member.get("/staff/queue?reason=callback")
    assert queue_ids(only) == ["visitor-callback"]
    assert staff_member.get("/staff/queue?reason=nonsense&page=x").status == 200


def test_a_reviewed_or_categorised_conversation_leaves_the_queue(served, staff_member):
    staff_member.get("/staff/queue")
    assert staff_member.post("/staff/conversation/review", {"id": "visitor-fallback"}).status == 303
    assert "visitor-fallback" not in queue_ids(staff_member.get("/staff/queue"))
    labels.set_conversation_label(served.store, "visitor-callback", "sam", "out_of_scope")
    assert "visitor-callback" not in queue_ids(staff_member.get("/staff/queue"))
    assert "visitor-emergency" in queue_ids(staff_member.get("/staff/queue"))
