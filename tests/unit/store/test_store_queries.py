"""Store queries on SQLite and on the real PostgreSQL: read model, list, overview, queue.

Each test gets an empty database (a SQLite file, or a PostgreSQL schema of its own)
with Rasa's events table; PostgreSQL tests are skipped, with the reason, only when the
server cannot be reached (tests/support/staff.py).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.store import callbacks, conversations, overview, reviews, summary
from bot.store.filters import ConversationFilter
from bot.store.seed import Built
from tests.support.staff import BACKENDS, fresh_store, insert_rows, real_rows

UTC = ZoneInfo("UTC")
DAY = 86_400
T0 = datetime(2025, 3, 10, 12, tzinfo=timezone.utc).timestamp()


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_store(request.param, tmp_path) as opened:
        yield opened


def visitor(sender, start, *, channel="rest", result=None, flags=(), text="my back hurts",
            fallback=False, callback=False, booking=False, turns=1, confidence=0.97):  # fmt: skip
    """A conversation as Rasa records one, with the traits a test asks for."""
    b = Built(sender, start, channel=channel).session()
    for n in range(turns):
        b.user(text if n == 0 else f"answer {n}", "inform", confidence)
    if fallback:
        b.user("blorp qwerty", "nlu_fallback", 0.45)
        b.action("action_handle_fallback").bot("Sorry?", "utter_fallback_rephrase")
    if flags:
        b.slot("red_flags", list(flags))
    if result:
        b.action("action_assess_triage").slot("triage_result", result)
    if booking:
        b.bot("Book here", "utter_offer_booking")
    if callback:
        b.slot("callback_name", "Sam").slot("callback_contact", "555-0100")
        b.slot("callback_requested", True)
    return b.rows


def seeded(store):
    rows = []
    rows += visitor("a-emergency", T0, result="emergency", flags=["bladder_dysfunction"])
    rows += visitor("b-acute", T0 + DAY, result="acute", booking=True, turns=4)
    rows += visitor("c-fallback", T0 + 2 * DAY, channel="socketio", fallback=True)
    rows += visitor("d-callback", T0 + 3 * DAY, result="chronic", callback=True, turns=2)
    rows += visitor("e-search", T0 + 4 * DAY, text="It 100% hurts_here <b>bold</b>")
    insert_rows(store, rows)
    summary.refresh(store)
    return store


def senders(store, **args):
    page = conversations.page(store, ConversationFilter.from_args(args), UTC)
    return [row["sender_id"] for row in page.rows]


def test_the_read_model_has_one_row_per_visitor(store):
    seeded(store)
    assert senders(store) == ["e-search", "d-callback", "c-fallback", "b-acute", "a-emergency"]
    row = conversations.get(store, "b-acute")
    assert row["turns"] == 4 and row["triage_result"] == "acute" and row["reached_booking"]


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"result": "emergency"}, ["a-emergency"]),
        ({"result": "none"}, ["e-search", "c-fallback"]),
        ({"red_flag": "yes"}, ["a-emergency"]),
        ({"fallback": "yes"}, ["c-fallback"]),
        ({"callback": "yes"}, ["d-callback"]),
        ({"channel": "socketio"}, ["c-fallback"]),
        ({"min_turns": "2", "max_turns": "3"}, ["d-callback", "c-fallback"]),
        ({"min_turns": "4"}, ["b-acute"]),
        ({"from": "2025-03-11", "to": "2025-03-12"}, ["c-fallback", "b-acute"]),
        ({"q": "HURTS_HERE"}, ["e-search"]),
        ({"q": "100%"}, ["e-search"]),
        ({"q": "_"}, ["e-search"]),
        ({"q": "<b>bold</b>"}, ["e-search"]),
        ({"q": "nothing like this"}, []),
        ({"sort": "turns", "order": "desc", "per_page": "25"}, None),
    ],
)
def test_each_filter(store, args, expected):
    seeded(store)
    found = senders(store, **args)
    if expected is None:
        assert found[0] == "b-acute"
    else:
        assert found == expected


def test_reviewed_and_tag_filters(store):
    seeded(store)
    reviews.set_reviewed(store, "b-acute", "ann")
    reviews.add_tag(store, "c-fallback", "Follow  Up")
    assert senders(store, reviewed="yes") == ["b-acute"]
    assert "b-acute" not in senders(store, reviewed="no")
    assert senders(store, tag="follow up") == ["c-fallback"]
    assert conversations.get(store, "c-fallback")["tags"] == ["follow up"]
    reviews.remove_tag(store, "c-fallback", "follow up")
    reviews.set_reviewed(store, "b-acute", "ann", reviewed=False)
    assert senders(store, tag="follow up") == [] and senders(store, reviewed="yes") == []


def test_pagination_and_export_iteration(store):
    rows = []
    for n in range(60):
        rows += visitor(f"v{n:03d}", T0 + n * 60)
    insert_rows(store, rows)
    summary.refresh(store)
    f = ConversationFilter.from_args({"per_page": "25", "page": "3", "order": "asc"})
    page = conversations.page(store, f, UTC)
    assert (page.total, page.pages) == (60, 3)
    assert [r["sender_id"] for r in page.rows] == [f"v{n:03d}" for n in range(50, 60)]
    everything = list(conversations.iter_filtered(store, ConversationFilter(), UTC))
    assert len(everything) == 60 and everything[0]["sender_id"] == "v059"


def test_refresh_is_incremental_and_idempotent(store):
    insert_rows(store, visitor("x", T0))
    assert summary.refresh(store).visitors == 1
    assert summary.refresh(store).events == 0  # nothing new
    before = conversations.get(store, "x")
    more = Built("x", T0 + 100).user("more", "inform").slot("triage_result", "acute")
    insert_rows(store, more.rows)
    insert_rows(store, visitor("y", T0 + 200))
    done = summary.refresh(store)
    assert done.visitors == 2 and done.events == len(more.rows) + len(visitor("y", T0 + 200))
    after = conversations.get(store, "x")
    assert after["turns"] == before["turns"] + 1 and after["triage_result"] == "acute"
    summary.rebuild(store)  # folding everything again gives the same rows
    assert conversations.get(store, "x") == after


def test_refresh_in_batches_reaches_the_end(store, monkeypatch):
    monkeypatch.setattr(summary, "BATCH_EVENTS", 7)
    rows = []
    for n in range(5):
        rows += visitor(f"v{n}", T0 + n, turns=3)
    insert_rows(store, rows)
    assert summary.refresh(store, max_batches=1).events == 7
    summary.refresh(store)
    assert conversations.count(store, ConversationFilter(), UTC) == 5
    assert all(conversations.get(store, f"v{n}")["turns"] == 3 for n in range(5))


def test_a_second_worker_does_not_apply_a_batch_twice(store):
    insert_rows(store, visitor("x", T0))
    summary.refresh(store)
    table = store.t("state")
    with store.staff.begin() as conn:
        from bot.store import state

        assert not state.compare_and_set(conn, table, summary.WATERMARK, "0", "999")
        mark = state.get(conn, table, summary.WATERMARK)
    assert int(mark) > 0


def test_a_new_fold_version_rebuilds_the_read_model(store, monkeypatch):
    seeded(store)
    with store.staff.begin() as conn:
        conn.execute(store.t("summary").update().values(turns=99))
    monkeypatch.setattr(summary, "SUMMARY_VERSION", "next")
    summary.refresh(store)
    assert conversations.get(store, "b-acute")["turns"] == 4


def test_the_real_conversations(store):
    insert_rows(store, real_rows())
    summary.refresh(store)
    assert senders(store, result="emergency") == ["visitor-emergency"]
    assert senders(store, callback="yes") == ["visitor-callback"]
    assert senders(store, fallback="yes") == ["visitor-fallback"]
    assert senders(store, q="bladder") == ["visitor-emergency"]
    [request] = callbacks.queue(store)
    assert (request["name"], request["status"]) == ("Jane <b>Doe</b>", "new")


def test_callback_queue_and_statuses(store):
    seeded(store)
    [request] = callbacks.queue(store)
    assert request["sender_id"] == "d-callback" and request["contact"] == "555-0100"
    assert callbacks.set_status(store, request["id"], "called", "ann")
    assert callbacks.counts(store) == {"new": 0, "called": 1, "closed": 0}
    assert callbacks.queue(store, "called")[0]["updated_by"] == "ann"
    summary.rebuild(store)  # the request is not duplicated and keeps its status
    assert [(r["id"], r["status"]) for r in callbacks.queue(store)] == [(request["id"], "called")]
    with pytest.raises(ValueError):
        callbacks.set_status(store, request["id"], "lost", "ann")
    assert not callbacks.set_status(store, 12345, "closed", "ann")


def test_overview_figures(store):
    seeded(store)
    o = overview.overview(store, date(2025, 3, 10), date(2025, 3, 16), UTC)
    assert o.conversations == 5 and o.red_flag_conversations == 1
    assert [b["conversations"] for b in o.per_bucket] == [1, 1, 1, 1, 1, 0, 0]
    assert [b["with_fallback"] for b in o.per_bucket] == [0, 0, 1, 0, 0, 0, 0]
    assert dict(o.results) == {"none": 2, "emergency": 1, "acute": 1, "chronic": 1}
    assert o.red_flags == [("bladder_dysfunction", 1)]
    assert o.unrecognised == [("blorp qwerty", 1)]
    assert o.booking_share == pytest.approx(2 / 5)
    assert o.fallback_rate == pytest.approx(1 / 10)


def test_a_long_period_is_shown_in_fewer_bars(store):
    seeded(store)
    o = overview.overview(store, date(2024, 1, 1), date(2025, 12, 31), UTC)
    assert len(o.per_bucket) <= overview.MAX_BARS and o.bucket_days == 8
    assert sum(b["conversations"] for b in o.per_bucket) == 5


def test_the_list_query_uses_an_index(store):
    seeded(store)
    s = store.t("summary")
    query = sa.select(s.c.sender_id).where(s.c.triage_result == "acute").order_by(s.c.started_at)
    compiled = str(query.compile(store.staff, compile_kwargs={"literal_binds": True}))
    with store.staff.connect() as conn:
        if store.staff.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_staff_summary_result_started" in plan
        else:
            conn.execute(sa.text("SET enable_seqscan = off"))
            plan = " ".join(r[0] for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
            assert "ix_staff_summary" in plan


def test_overview_days_follow_the_clinic_time_zone_across_daylight_saving(store):
    edmonton = ZoneInfo("America/Edmonton")
    local = [datetime(2025, 3, 9, 0, 30), datetime(2025, 3, 9, 23, 30), datetime(2025, 3, 10, 0, 5)]
    rows = []
    for n, moment in enumerate(local):
        rows += visitor(f"v{n}", moment.replace(tzinfo=edmonton).timestamp() - 1.5)
    insert_rows(store, rows)
    summary.refresh(store)
    o = overview.overview(store, date(2025, 3, 8), date(2025, 3, 10), edmonton)
    assert [b["conversations"] for b in o.per_bucket] == [0, 2, 1]
