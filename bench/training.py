"""Training time: ``rasa train --force`` into a temporary folder, once per training input.

The result is kept in ``var/bench/training.json`` with a fingerprint of what training
reads (config, domain, data, the NLP rules, the spaCy pipeline), so repeated benchmark runs
reuse it and a change to any of those measures again. Rasa's cache is pointed at the
temporary folder too: ``--force`` plus an empty cache means every component trains.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bot.runtime.settings import PROJECT_ROOT

TRAINING_TIMEOUT_S = 3600


def inputs(root: Path = PROJECT_ROOT) -> Iterable[Path]:
    """Every file ``rasa train`` reads for this project."""
    yield root / "config.yml"
    yield root / "domain.yml"
    yield from sorted((root / "data").glob("*.yml"))
    yield from sorted(p for p in (root / "bot" / "nlp").rglob("*") if p.suffix in {".py", ".jsonl"})
    yield root / "models" / "spacy" / "backchat_en" / "meta.json"


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in inputs(root):
        if path.exists():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def measure() -> float:
    """Seconds ``rasa train --force`` takes, start to finish, into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="backchat-train-") as folder:
        env = dict(os.environ, RASA_CACHE_DIRECTORY=str(Path(folder) / "cache"))
        command = [
            sys.executable, "-m", "rasa", "train", "--force", "--quiet",
            "--out", folder, "--fixed-model-name", "bench",
        ]  # fmt: skip
        started = time.monotonic()
        subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, check=True, timeout=TRAINING_TIMEOUT_S,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        return round(time.monotonic() - started, 1)


def training_seconds(cache: Path, remeasure: bool = False, allowed: bool = True) -> float | None:
    """The cached time for the current inputs, else measure it (unless not allowed)."""
    current = fingerprint()
    if cache.exists() and not remeasure:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("fingerprint") == current:
            return stored["training_s"]
    if not allowed:
        return None
    seconds = measure()
    cache.parent.mkdir(parents=True, exist_ok=True)
    record = {"fingerprint": current, "training_s": seconds, "measured": time.strftime("%F %T")}
    cache.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return seconds
