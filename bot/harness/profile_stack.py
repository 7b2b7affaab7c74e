"""RunningStack for a profile: extra environment and a subset of servers (tests, bench).

``ProfileStack(var_dir, env={"BACKCHAT_PROFILE": "production", ...}, only="rasa")`` runs
``python -m bot.runtime.stack --only rasa`` with those variables on top of this process's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Optional

from bot.harness.stack import RunningStack


class ProfileStack(RunningStack):
    """One ``python -m bot.runtime.stack`` with a profile's variables and optional ``--only``."""

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
        return [sys.executable, "-m", "bot.runtime.stack", *only]

    def environment(self) -> Dict[str, str]:
        return {**super().environment(), **self.extra_env}

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
