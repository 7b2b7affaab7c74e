"""Every "clinical.md section N" in the project names a section that docs/clinical.md has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "clinical.md"
REFERENCE = re.compile(r"clinical\.md,? sections? (\d+)(?:\s*(?:and|,)\s*(\d+))?", re.I)


def test_the_spec_is_in_the_repository_with_numbered_sections():
    sections = re.findall(r"^## (\d+)\. ", SPEC.read_text(encoding="utf-8"), re.M)
    assert sections == ["1", "2", "3", "4"]


def test_every_section_reference_exists():
    sections = set(re.findall(r"^## (\d+)\. ", SPEC.read_text(encoding="utf-8"), re.M))
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = 0
    for name in files:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".yml", ".yaml", ".jsonl"} or not path.exists():
            continue
        for match in REFERENCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            found += 1
            for number in filter(None, match.groups()):
                assert number in sections, f"{name}: clinical.md section {number} does not exist"
    assert found >= 10  # the references are there to be checked


def test_no_path_of_one_machine_in_the_repository():
    result = subprocess.run(
        ["git", "grep", "-n", "-e", "/work/" + "shared", "-e", "../" + "shared/clinical"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.stdout == ""
