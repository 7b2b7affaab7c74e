"""In Chromium: log in, filter by emergency, open the transcript, mark it reviewed, export.

The staff app reads the tracker database the real stack wrote (tests/staff/conftest.py).
"""

from __future__ import annotations

import csv
import os

import pytest

from bot.harness.staff import PASSWORD, ServedApp, staff_config
from bot.store import accounts

pytestmark = [pytest.mark.browser, pytest.mark.servers]


@pytest.fixture(scope="module")
def staff_site(real_stack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("staff-browser")
    url = f"sqlite:///{real_stack.var_dir / 'tracker.db'}"
    served = ServedApp(staff_config(url, folder)).start()
    accounts.add_user(served.store, "ada", PASSWORD, "admin")
    yield served
    served.stop()


def test_review_an_emergency_and_export_csv(staff_site, browser, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{staff_site.url}/staff/conversations")
        assert "/staff/login" in page.url
        page.fill("input[name=name]", "ada")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Log in')")
        page.wait_for_url("**/staff/conversations")

        page.select_option("select[name=result]", "emergency")
        page.click("#filters button[type=submit]")
        page.wait_for_url("**result=emergency**")
        assert page.inner_text("#total") == "1"
        rows = page.locator("table.list tbody tr")
        assert rows.count() == 1 and "red flag" in rows.first.inner_text()

        rows.first.locator("a.open").click()
        page.wait_for_url("**/staff/conversation?id=stack-emergency")
        assert "emergency" in page.inner_text("#result")
        assert "control my bladder" in page.inner_text("ol.transcript")

        page.click("#mark-reviewed")
        page.wait_for_selector("#reviewed-badge")
        assert "reviewed by ada" in page.inner_text("#reviewed-badge")

        page.goto(f"{staff_site.url}/staff/conversations?result=emergency&reviewed=yes")
        assert page.inner_text("#total") == "1"
        with page.expect_download() as pending:
            page.click("#export-csv")
        download = pending.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.suffix == ".csv"
        with saved.open(encoding="utf-8") as handle:
            exported = list(csv.DictReader(handle))
        assert [(r["sender_id"], r["triage_result"], r["reviewed_by"]) for r in exported] == [
            ("stack-emergency", "emergency", "ada")
        ]
        if os.environ.get("BACKCHAT_STAFF_SCREENSHOTS"):
            page.goto(f"{staff_site.url}/staff/overview")
            page.screenshot(path=os.environ["BACKCHAT_STAFF_SCREENSHOTS"], full_page=True)
        assert errors == []
    finally:
        context.close()
