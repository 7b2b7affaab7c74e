"""Corrections on the transcript over HTTP: a message's intent and facts, the category."""

from __future__ import annotations

import json
import re
import time

from bot.store import audit, labels
from bot.store.seed import Built
from tests.support.staff import insert_rows

FALLBACK = "visitor-fallback"


def event_ids(page) -> list:
    return [int(n) for n in re.findall(r'id="correct-(\d+)"', page.text)]


def test_a_message_is_corrected_then_edited_by_someone_else(served, staff_member, admin):
    page = staff_member.get(f"/staff/conversation?id={FALLBACK}")
    ids = event_ids(page)
    assert ids, "every typed visitor message has a correction form"
    target = ids[-1]
    form = {
        "id": FALLBACK,
        "event_id": target,
        "intent": "inform",
        "location": "low_back",
        "duration_days": "21",
        "leg_numbness": "denied",
        "red_flag_denied": "fever",
    }
    assert staff_member.post("/staff/conversation/label", form).status == 303
    page = staff_member.get(f"/staff/conversation?id={FALLBACK}").text
    shown = re.search(rf'id="label-{target}">(.*?)</p>', page, re.S).group(1)
    assert "intent <strong>inform</strong>" in shown and "reviewed by sam on" in shown
    assert "location = low_back" in shown and "fever (denied)" in shown
    assert 'value="21"' in page  # the form shows what was saved, ready to edit
    admin.get(f"/staff/conversation?id={FALLBACK}")
    edit = dict(form, intent="faq_hours", location="", red_flag_denied="")
    assert admin.post("/staff/conversation/label", edit).status == 303
    [saved] = labels.message_labels_of(served.store, FALLBACK).values()
    assert (saved.intent, saved.created_by, saved.updated_by) == ("faq_hours", "sam", "ann")
    page = admin.get(f"/staff/conversation?id={FALLBACK}").text
    assert "reviewed by ann on" in page and "(first by sam)" in page
    entries = [e for e in audit.recent(served.store, action="label_message")]
    details = [json.loads(e["detail"]) for e in entries]
    assert [(e["actor"], d["outcome"]) for e, d in zip(entries, details, strict=False)] == [
        ("ann", "edited"),
        ("sam", "created"),
    ]
    assert details[0]["previous_intent"] == "inform" and details[0]["intent"] == "faq_hours"
    assert "purple monkey" not in json.dumps(details)  # never the visitor's words


def test_wrong_corrections_are_refused(served, staff_member):
    page = staff_member.get(f"/staff/conversation?id={FALLBACK}")
    target = event_ids(page)[0]
    base = {"id": FALLBACK, "event_id": target}
    post = staff_member.post
    assert post("/staff/conversation/label", dict(base, intent="tap_dance")).status == 400
    assert post("/staff/conversation/label", dict(base, location="moon")).status == 400
    assert post("/staff/conversation/label", dict(base, duration_days="-1")).status == 400
    assert post("/staff/conversation/label", dict(base, event_id="x")).status == 400
    other = dict(base, id="visitor-chronic")  # that message is not in this conversation
    assert post("/staff/conversation/label", other).status == 404
    assert post("/staff/conversation/label", base, csrf=False).status == 403


def test_the_conversation_category(served, staff_member):
    sid = "visitor-chronic"
    staff_member.get(f"/staff/conversation?id={sid}")
    assert (
        staff_member.post("/staff/conversation/category", {"id": sid, "category": "x"}).status
        == 400
    )
    assert (
        staff_member.post(
            "/staff/conversation/category", {"id": "ghost", "category": "acute"}
        ).status
        == 404
    )
    assert (
        staff_member.post(
            "/staff/conversation/category", {"id": sid, "category": "subacute"}
        ).status
        == 303
    )
    page = staff_member.get(f"/staff/conversation?id={sid}").text
    assert re.search(
        r'id="category-label">Category <strong>subacute</strong>: reviewed by sam on', page
    )
    assert "the bot said chronic" in page
    assert (
        staff_member.post("/staff/conversation/category", {"id": sid, "category": ""}).status == 303
    )
    assert labels.conversation_label_of(served.store, sid) is None
    outcomes = [
        json.loads(e["detail"])["outcome"]
        for e in audit.recent(served.store, action="label_conversation")
    ]
    assert outcomes[:2] == ["removed", "created"]


def test_the_page_shows_what_would_be_exported(served, staff_member):
    b = Built("visitor-personal", time.time()).session()
    b.user("my name is Sarah Thompson, call 780-555-0142 about my back", "request_callback", 0.9)
    b.user("it's at 10234 82 Ave NW", "inform", 0.5)
    insert_rows(served.store, b.rows)
    staff_member.get("/staff/queue")  # the read model catches up
    page = staff_member.get("/staff/conversation?id=visitor-personal").text
    exported = re.findall(r'<q class="exported">(.*?)</q>', page)
    assert exported == ["my name is [NAME], call [PHONE] about my back", "it&#39;s at [ADDRESS]"]
    assert "held back" not in page


def test_the_overview_shows_the_weekly_measure(served, staff_member):
    staff_member.get("/staff/conversation?id=visitor-emergency")
    sid = {"id": "visitor-emergency", "category": "emergency"}
    assert staff_member.post("/staff/conversation/category", sid).status == 303
    weekly = staff_member.get("/staff/api/overview").json()["weekly"]
    assert sum(w["reviewed"] for w in weekly) >= 1
    agreed = [w for w in weekly if w["reviewed"]]
    assert all(0 <= w["agreement"] <= 1 for w in agreed) and any(w["agreement"] for w in agreed)
    assert sum(w["red_flags"] for w in weekly) >= 1
    page = staff_member.get("/staff/overview").text
    measure = page[page.index('id="live-measure"') :]
    assert "Fallbacks per 100 visitor messages" in measure and measure.count("<svg") >= 3
    assert re.search(r'id="agreement-total">\d+ of \d+</span>', measure)
