"""``backchat`` (bot/cli.py): accounts, purge and forget from the command line."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from bot.cli import read_password
from bot.harness.staff import PASSWORD
from bot.store import accounts, audit, conversations, open_store, seed, summary
from bot.store.seed import Built
from tests.support.staff import run_cli


def store_of(var_dir):
    return open_store(f"sqlite:///{var_dir / 'tracker.db'}")


def test_add_list_passwd_remove(var_dir):
    added = run_cli("staff", "add", "Ann", "--role", "admin", stdin=PASSWORD + "\n")
    assert added[:2] == (0, "added ann (admin)\n")
    assert run_cli("staff", "add", "bob", stdin=PASSWORD + "\n")[0] == 0
    assert run_cli("staff", "list")[1] == "ann\tadmin\nbob\tstaff\n"
    code, _, err = run_cli("staff", "add", "bob", stdin=PASSWORD + "\n")
    assert code == 1 and "already" in err
    code, _, err = run_cli("staff", "add", "carl", stdin="short\n")
    assert code == 1 and "at least" in err
    assert run_cli("staff", "passwd", "bob", stdin="a new long password\n")[0] == 0
    store = store_of(var_dir)
    try:
        assert accounts.authenticate(store, "bob", "a new long password")
        assert run_cli("staff", "remove", "bob")[0] == 0
        assert accounts.authenticate(store, "bob", "a new long password") is None
        assert [e["action"] for e in audit.recent(store)] == [
            "account_remove", "account_password", "account_add", "account_add",
        ]  # fmt: skip
        assert audit.recent(store)[0]["actor"].startswith("cli")
    finally:
        store.dispose()
    code, _, err = run_cli("staff", "remove", "nobody")
    assert code == 1 and "no account" in err


def test_password_prompt_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter([PASSWORD, PASSWORD])
    assert read_password(Terminal(), lambda _: next(answers)) == PASSWORD
    answers = iter([PASSWORD, "different one"])
    with pytest.raises(accounts.AccountError, match="differ"):
        read_password(Terminal(), lambda _: next(answers))


def test_purge_and_forget(var_dir):
    store = store_of(var_dir)
    try:
        store.migrate()
        table = seed.ensure_events_table(store.tracker)
        now = time.time()
        with store.tracker.begin() as conn:
            for sender, age in (("old", 100), ("new", 1), ("asked", 2)):
                seed.insert(conn, table, Built(sender, now - age * 86400).user("hi", "greet").rows)
        assert run_cli("purge")[0] == 2  # no period given or configured
        assert run_cli("purge", "--days", "30")[1] == "deleted 1 conversation(s), 1 event(s)\n"
        assert run_cli("forget", "asked")[0] == 0
        with store.tracker.connect() as conn:
            left = set(conn.execute(sa.select(table.c.sender_id)).scalars())
        assert left == {"new"}
        summary.refresh(store)
        assert conversations.get(store, "asked") is None
        assert {e["action"] for e in audit.recent(store)} == {"purge", "forget"}
    finally:
        store.dispose()


def test_refresh_command(var_dir):
    assert run_cli("refresh")[0] == 0
    assert "folded" in run_cli("refresh", "--rebuild")[1]


def test_runs_as_a_module(var_dir):
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "staff", "add", "dana"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "added dana (staff)\n"
