"""A staff app served over a seeded SQLite database, shared by the HTTP tests of a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.harness.stack import ROOT, RunningStack
from bot.harness.staff import PASSWORD, Client, ServedApp, staff_config
from bot.store import accounts
from tests.support.chromium import launched_chromium, missing
from tests.support.staff import fresh_store, insert_rows, real_rows


def seed_site(store) -> None:
    """The recorded conversations plus two accounts: ann (admin) and sam (staff)."""
    insert_rows(store, real_rows())
    accounts.add_user(store, "ann", PASSWORD, "admin")
    accounts.add_user(store, "sam", PASSWORD, "staff")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[ServedApp]:
    folder = tmp_path_factory.mktemp("staff-http")
    with fresh_store("sqlite", folder) as store:
        seed_site(store)
    app = ServedApp(staff_config(f"sqlite:///{folder / 'tracker.db'}", folder)).start()
    yield app
    app.stop()


@pytest.fixture
def client(served) -> Client:
    return Client(served.url)


@pytest.fixture
def admin(served) -> Client:
    c = Client(served.url)
    assert c.login("ann").status == 303
    return c


@pytest.fixture
def staff_member(served) -> Client:
    c = Client(served.url)
    assert c.login("sam").status == 303
    return c


MODEL = ROOT / "models" / "current.tar.gz"
EMERGENCY_CHAT = [
    "hi",
    "my lower back hurts for two weeks",
    "I can't control my bladder and my groin is numb",
]
CALLBACK_CHAT = ["hello", "can someone call me back?", "Jo <i>Smith</i>", "780-555-0142", "yes"]


@pytest.fixture(scope="session")
def real_stack(tmp_path_factory):
    """The real stack (Rasa, actions, web) with two conversations it has recorded."""
    if not MODEL.exists():
        missing(f"a trained model at {MODEL} (make train)")
    stack = RunningStack(tmp_path_factory.mktemp("staff-stack")).start()
    try:
        for line in EMERGENCY_CHAT:
            stack.chat("stack-emergency", line)
        for line in CALLBACK_CHAT:
            stack.chat("stack-callback", line)
        yield stack
    finally:
        assert stack.stop() == 0


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module."""
    with launched_chromium() as launched:
        yield launched
