"""The state folder and the SQLite database are readable by their owner only.

``var/`` holds the conversations (``tracker.db``: visitors' words, phone numbers) and the
generated secrets. With the usual umask 022 a new folder is 755 and a new file 644, so
every local user could read them. The folder is made 700, the database 600 (SQLite gives
its journal and WAL files the database's mode), and the servers run with umask 077 so
whatever else they create there is private too.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; the folder itself ends up 700."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing (in a 700 folder); the file ends up 600."""
    path = Path(path)
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    os.chmod(path, FILE_MODE)
    return path


def private_umask() -> int:
    """Make files and folders this process (and its children) creates private."""
    return os.umask(PRIVATE_UMASK)
