"""Issue 17: the state folder and the conversations database are the owner's alone.

``python -m bot.runtime.stack`` with a state folder that does not exist yet and the usual umask
022, which would make them 755 and 644.
"""

from __future__ import annotations

import os
import stat

from bot.harness.stack import RunningStack
from tests.support.rest import say


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_state_folder_and_database_are_private(tmp_path):
    var = tmp_path / "new" / "var"
    previous = os.umask(0o022)
    try:
        web = RunningStack(var, only="web").start()  # the staff app opens var/tracker.db
    finally:
        os.umask(previous)
    try:
        assert mode(var) == 0o700
        assert mode(var / "tracker.db") == 0o600
    finally:
        assert web.stop() == 0


def test_what_the_servers_write_stays_private(stack):
    assert say(stack.rasa_url, "modes-visitor", "hi")[0] == 200
    files = [path for path in stack.var_dir.iterdir() if path.is_file()]
    assert any(path.name == "tracker.db" for path in files)
    for path in files:
        assert mode(path) & 0o077 == 0, f"{path.name} is {oct(mode(path))}"
