"""The staff pages over HTTP: list, transcript, work on it, call-backs, overview, admin."""

from __future__ import annotations

import csv
import io
import json
import re
import time

from bot.harness.staff import PASSWORD, Client
from bot.store import audit, callbacks
from bot.store.seed import Built
from tests.support.staff import insert_rows


def total(reply) -> int:
    return int(re.search(r'id="total">(\d+)<', reply.text).group(1))


def test_the_list_filters_by_result(served, admin):
    assert total(admin.get("/staff/conversations")) >= 4
    emergency = admin.get("/staff/conversations?result=emergency")
    assert total(emergency) == 1 and "visitor-emergency" in emergency.text
    assert "visitor-chronic" not in emergency.text
    assert total(admin.get("/staff/conversations?callback=yes&red_flag=no")) == 1
    assert total(admin.get("/staff/conversations?q=bladder")) == 1
    bad = admin.get("/staff/conversations?from=yesterday")
    assert bad.status == 200 and "expected a date" in bad.text


def test_visitor_html_is_shown_as_text(served, admin):
    page = admin.get("/staff/conversation?id=visitor-fallback")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; purple monkey dishwasher" in page.text
    assert "<script>alert(1)</script>" not in page.text
    callback = admin.get("/staff/conversation?id=visitor-callback")
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in callback.text and "<b>Doe</b>" not in callback.text
    queue = admin.get("/staff/callbacks")
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in queue.text and "<b>Doe</b>" not in queue.text
    search = admin.get('/staff/conversations?q="><script>x</script>')
    assert "<script>x</script>" not in search.text and "&lt;script&gt;x" in search.text


def test_unrecognised_messages_are_escaped_in_the_overview(served, admin):
    b = Built("visitor-html", time.time() - 60).session()
    b.user("<img src=x onerror=alert(2)>", "nlu_fallback", 0.45)
    b.action("action_handle_fallback").bot("Sorry?", "utter_fallback_rephrase")
    insert_rows(served.store, b.rows)
    page = admin.get("/staff/overview")
    assert page.status == 200 and "&lt;img src=x onerror=alert(2)&gt;" in page.text
    assert "<img src=x" not in page.text
    assert page.text.count("<svg") == 7  # four figures and the three weekly measures


def test_transcript_shows_turns_intents_slots_and_assessment(served, admin):
    page = admin.get("/staff/conversation?id=visitor-emergency").text
    assert "I can&#39;t control my bladder and my groin is numb" in page
    assert "red_flag</strong>" in page and "(1.00)" in page
    assert "triage_result = emergency" in page and "action_assess_triage" in page
    assert "new trouble passing urine or controlling your bladder" in page
    assert "Reasons given to the visitor" in page
    low = admin.get("/staff/conversation?id=visitor-fallback").text
    assert "low confidence" in low and "fallback</span>" in low
    assert admin.get("/staff/conversation?id=nobody").status == 404


def test_review_tag_and_note_are_audited_without_the_note(served, staff_member):
    sid = "visitor-chronic"
    staff_member.get(f"/staff/conversation?id={sid}")
    assert staff_member.post("/staff/conversation/review", {"id": sid}).status == 303
    assert (
        staff_member.post("/staff/conversation/tag", {"id": sid, "tag": "Follow up"}).status == 303
    )
    note = "Called: booked for Tuesday."
    assert staff_member.post("/staff/conversation/note", {"id": sid, "body": note}).status == 303
    page = staff_member.get(f"/staff/conversation?id={sid}").text
    assert "reviewed by sam" in page and "follow up" in page and note in page
    assert total(staff_member.get("/staff/conversations?reviewed=yes&tag=follow+up")) == 1
    entries = audit.recent(served.store, actor="sam")
    assert {"review", "tag", "note", "view_conversation"} <= {e["action"] for e in entries}
    assert all(note not in (e["detail"] or "") for e in entries)
    assert staff_member.post("/staff/conversation/tag", {"id": sid, "tag": "<bad>"}).status == 400
    assert staff_member.post("/staff/conversation/note", {"id": "ghost", "body": "x"}).status == 404


def test_export_csv_and_json_of_the_filtered_set(served, admin):
    reply = admin.get("/staff/export.csv?result=emergency")
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert [r["sender_id"] for r in rows] == ["visitor-emergency"]
    assert rows[0]["red_flags"] == "bladder_dysfunction;saddle_numbness"
    everything = json.loads(admin.get("/staff/export.json").body)
    assert {"visitor-emergency", "visitor-callback"} <= {r["sender_id"] for r in everything}
    one = json.loads(admin.get("/staff/conversation/export.json?id=visitor-callback").body)
    assert one["assessment"]["triage_result"] is None and one["slots"]["callback_requested"]
    entries = [e["action"] for e in audit.recent(served.store, actor="ann")]
    assert "export_list" in entries and "export_conversation" in entries


def test_callback_queue_status(served, staff_member):
    [request] = callbacks.queue(served.store)
    page = staff_member.get("/staff/callbacks")
    assert "780-555-0199" in page.text and "new (1)" in page.text
    moved = staff_member.post("/staff/callbacks/status", {"id": request["id"], "status": "called"})
    assert moved.status == 303
    assert "called (1)" in staff_member.get("/staff/callbacks?status=called").text
    assert (
        staff_member.post("/staff/callbacks/status", {"id": "999", "status": "closed"}).status
        == 404
    )
    assert (
        staff_member.post("/staff/callbacks/status", {"id": request["id"], "status": "x"}).status
        == 400
    )


def test_new_conversations_appear_without_a_restart(served, admin):
    b = Built("visitor-latest", time.time()).session().user("just now", "greet")
    insert_rows(served.store, b.rows)
    assert "visitor-latest" in admin.get("/staff/conversations?q=just+now").text


def test_api(served, admin, client):
    data = admin.get("/staff/api/conversations?result=emergency").json()
    assert data["total"] == 1 and data["conversations"][0]["red_flag"] is True
    assert admin.get("/staff/api/me").json() == {"name": "ann", "role": "admin"}
    figures = admin.get("/staff/api/overview").json()
    assert figures["conversations"] >= 4 and "emergency" in figures["results"]
    assert client.get("/staff/api/overview").status == 401


def test_admin_accounts_and_retention_from_the_dashboard(served, admin):
    assert (
        admin.post(
            "/staff/admin/users", {"name": "tess", "password": PASSWORD, "role": "staff"}
        ).status
        == 303
    )
    assert "tess" in admin.get("/staff/admin").text
    tess = Client(served.url)
    assert tess.login("tess").status == 303
    assert admin.post("/staff/admin/users/remove", {"name": "tess"}).status == 303
    assert tess.get("/staff/conversations").status == 302  # her session ended
    short = admin.post("/staff/admin/users", {"name": "x", "password": "short"})
    assert "at+least" in short.location or "at%20least" in short.location
    b = Built("visitor-ancient", time.time() - 400 * 86400).session().user("old", "greet")
    insert_rows(served.store, b.rows)
    assert admin.post("/staff/admin/purge", {"days": "365"}).status == 303
    assert admin.get("/staff/conversation?id=visitor-ancient").status == 404
    mismatch = {"id": "visitor-latest", "confirm": "visitor-other"}
    assert "twice" in admin.post("/staff/admin/forget", mismatch).location
    b = Built("visitor-forget-me", time.time()).session().user("delete me", "greet")
    insert_rows(served.store, b.rows)
    admin.get("/staff/conversations")
    both = {"id": "visitor-forget-me", "confirm": "visitor-forget-me"}
    assert admin.post("/staff/admin/forget", both).status == 303
    assert admin.get("/staff/conversation?id=visitor-forget-me").status == 404
    assert total(admin.get("/staff/conversations?q=delete+me")) == 0
    actions = [e["action"] for e in audit.recent(served.store, actor="ann")]
    assert {"account_add", "account_remove", "purge", "forget"} <= set(actions)
    log = admin.get("/staff/admin/audit?action=forget").text
    assert "forgotten-" in log and "visitor-forget-me" not in log  # issue 17: a pseudonym


def test_the_last_admin_cannot_be_removed(served, admin):
    reply = admin.post("/staff/admin/users/remove", {"name": "ann"})
    assert "last+admin" in reply.location or "last%20admin" in reply.location
