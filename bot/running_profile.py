"""RunningStack for a profile: extra environment and a subset of servers (tests, bench).

``ProfileStack(var_dir, env={"BACKCHAT_PROFILE": "production", ...}, only="rasa")`` runs
``python -m bot.stack --only rasa`` with those variables on top of this process's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

from bot.running import ROOT, START_TIMEOUT_S, RunningStack


class ProfileStack(RunningStack):
    """One ``python -m bot.stack`` with a profile's variables and optional ``--only``."""

    def __init__(
        self,
        var_dir: Path,
        env: Optional[Dict[str, str]] = None,
        only: Optional[str] = None,
        **kwargs,
    ):
        super().__init__(var_dir, **kwargs)
        self.extra_env = dict(env or {})
        self.only = only

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['actions']}"

    def command(self) -> List[str]:
        only = ["--only", self.only] if self.only else []
        return [sys.executable, "-m", "bot.stack", *only]

    def environment(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update(
            BACKCHAT_RASA_PORT=str(self.ports["rasa"]),
            BACKCHAT_ACTIONS_PORT=str(self.ports["actions"]),
            BACKCHAT_WEB_PORT=str(self.ports["web"]),
            BACKCHAT_VAR_DIR=str(self.var_dir),
            BACKCHAT_API_TOKEN=self.token,
            PYTHONUNBUFFERED="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
        )
        env.update(self.extra_env)
        return env

    def start(self, wait: bool = True, timeout_s: float = START_TIMEOUT_S) -> ProfileStack:
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.environment(), text=True, errors="replace",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._collect, daemon=True).start()
        if wait:
            self._wait_for("BackChat is up", timeout_s)
            self.startup_s = time.monotonic() - started
        return self

    def pids(self) -> List[int]:
        """The stack and every process under it (servers and their Sanic workers)."""
        if not self.process:
            return []
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            try:
                tasks = Path(f"/proc/{pid}/task").iterdir()
                for task in tasks:
                    children = (task / "children").read_text().split()
                    queue.extend(int(child) for child in children)
            except OSError:
                continue
        return found
