"""The state folder and the SQLite database are readable by their owner only.

``var/`` holds the conversations (``tracker.db``: visitors' words, phone numbers) and the
generated secrets. With the usual umask 022 a new folder is 755 and a new file 644, so
every local user could read them. The folder is made 700, the database 600 (SQLite gives
its journal and WAL files the database's mode), and the servers run with umask 077 so
whatever else they create there is private too. A generated secret is written once,
with ``O_EXCL``, so that two servers starting together end up with the same one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600
READ_ATTEMPTS = 20  # x 0.05 s: time another process may take to write a new secret


class SecretFileError(ValueError):
    """A stored secret is empty or too short."""


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


def _read_when_written(path: Path) -> str:
    """The stored value; waits briefly if another process has created but not written it."""
    stored = ""
    for _ in range(READ_ATTEMPTS):
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            break
        time.sleep(0.05)
    return stored


def load_or_create_secret(path: Path, generate: Callable[[], str], min_length: int = 1) -> str:
    """The secret stored at ``path``, else a new one from ``generate`` written there (mode 600).

    The file is created with ``O_EXCL``: if another process creates it first, its value is
    read instead. A stored value shorter than ``min_length`` raises :class:`SecretFileError`.
    """
    path = Path(path)
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        stored = _read_when_written(path)
        if len(stored) < max(min_length, 1):
            raise SecretFileError(
                f"{path}: the stored secret is empty or too short; delete the file to have a "
                "new one generated"
            ) from None
        return stored
    value = generate()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)  # whatever the umask
        handle.write(value + "\n")
    return value
