"""Forgetting a visitor leaves nothing behind: not in any table, not in the database files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid

from bot.harness.stack import ROOT
from tests.support.rest import say


def test_forget_removes_every_row_and_every_byte_of_a_visitor(stack):
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    marker = f"Quillfeather{uuid.uuid4().hex[:6]}"
    for text in ("hi", f"my name is {marker} and my lower back hurts"):
        assert say(stack.rasa_url, sender, text)[0] == 200
    files = [path for path in stack.var_dir.iterdir() if path.is_file()]
    assert any(marker.encode() in path.read_bytes() for path in files), "stored at first"

    env = {**os.environ, "BACKCHAT_VAR_DIR": str(stack.var_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "forget", sender],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    for path in stack.var_dir.iterdir():
        if path.suffix == ".db":
            with sqlite3.connect(path) as db:
                tables = [
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                for table in tables:
                    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
                    if "sender_id" in columns and table != "staff_audit":
                        rows = db.execute(
                            f"SELECT count(*) FROM {table} WHERE sender_id = ?", (sender,)
                        ).fetchone()[0]
                        assert rows == 0, f"{path.name}:{table} still has {rows} rows"
    leftovers = [
        p.name for p in stack.var_dir.iterdir() if p.is_file() and marker.encode() in p.read_bytes()
    ]
    assert leftovers == [], "deleted text must not survive in free database pages"


def test_no_message_text_reaches_the_logs(stack):
    sender = f"logs-{uuid.uuid4().hex[:8]}"
    marker = f"Wintergreen{uuid.uuid4().hex[:6]}"
    for text in (f"hi, I am {marker}", f"{marker} my back hurts", "x" * 3000 + marker, ""):
        say(stack.rasa_url, sender, text)
    logged = "".join(stack.output)
    assert sender in logged or "BackChat is up" in logged, "the servers' output is captured"
    assert marker not in logged
