"""The whole staff app on PostgreSQL (production's database), over HTTP."""

from __future__ import annotations

import csv
import io

import pytest

from bot.harness.staff import Client, ServedApp, staff_config
from bot.store.seed import ensure_events_table
from tests.staff.conftest import seed_site
from tests.support.staff import database_url, open_store


@pytest.fixture(scope="module")
def served_pg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staff-pg")
    with database_url("postgresql", folder) as url:
        store = open_store(url)
        store.migrate()
        ensure_events_table(store.tracker)
        seed_site(store)
        store.dispose()
        app = ServedApp(staff_config(url, folder)).start()
        yield app
        app.stop()


def test_staff_workflow_on_postgresql(served_pg):
    admin = Client(served_pg.url)
    assert admin.login("ann").status == 303
    listed = admin.get("/staff/conversations?result=emergency&red_flag=yes")
    assert 'id="total">1<' in listed.text
    page = admin.get("/staff/conversation?id=visitor-emergency")
    assert page.status == 200 and "bladder" in page.text
    assert admin.post("/staff/conversation/review", {"id": "visitor-emergency"}).status == 303
    assert 'id="total">1<' in admin.get("/staff/conversations?reviewed=yes").text
    rows = list(csv.DictReader(io.StringIO(admin.get("/staff/export.csv?reviewed=yes").text)))
    assert [(r["sender_id"], r["reviewed_by"]) for r in rows] == [("visitor-emergency", "ann")]
    assert admin.get("/staff/overview").status == 200
    assert "780-555-0199" in admin.get("/staff/callbacks").text
