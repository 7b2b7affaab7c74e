"""Rasa NLU YAML: the project's existing examples, and the reviewed examples file.

Pure apart from reading and writing files. Texts are compared normalised (lower case,
single spaces), so "Hi  there" duplicates "hi there". Placeholders such as ``[NAME]``
are kept out of Rasa's entity syntax (``[text](entity)``, ``[text]{...}``,
``[text][...]``) by never letting one touch a following bracket or parenthesis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

REVIEWED_NAME = "nlu-reviewed.yml"
HEADER = (
    "# Written by `backchat review export` from staff corrections (scrubbed): do not edit by\n"
    "# hand, correct in the staff area and export again. See docs/staff.md before training.\n"
)


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def one_line(text: str) -> str:
    """One line of visitor text, safe inside a Rasa examples block."""
    text = " ".join(text.split())
    return re.sub(r"\](?=[(\[{])", "] ", text)


def _examples(block: str) -> Iterable[str]:
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            yield line[2:].strip()


def existing_examples(data_dir: Path, skip: str = REVIEWED_NAME) -> dict[str, set[str]]:
    """normalised text -> the intents it is an example of, over data/*.yml (not ``skip``)."""
    found: dict[str, set[str]] = {}
    for path in sorted(Path(data_dir).glob("*.yml")):
        if path.name == skip:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or [] if isinstance(data, dict) else []:
            if not isinstance(item, dict) or not isinstance(item.get("examples"), str):
                continue
            intent = item.get("intent")
            if not isinstance(intent, str):
                continue
            for example in _examples(item["examples"]):
                found.setdefault(normalise(example), set()).add(intent)
    return found


def render(by_intent: Mapping[str, Iterable[str]]) -> str:
    """The file's text: one block per intent, intents and examples in a stable order."""
    lines = [HEADER.rstrip("\n"), 'version: "3.1"']
    blocks = {intent: sorted(set(texts)) for intent, texts in by_intent.items()}
    blocks = {intent: texts for intent, texts in blocks.items() if texts}
    if not blocks:
        return "\n".join([*lines, "nlu: []", ""])
    lines.append("nlu:")
    for intent in sorted(blocks):
        lines.append(f"  - intent: {intent}")
        lines.append("    examples: |")
        lines.extend(f"      - {text}" for text in blocks[intent])
    return "\n".join(lines) + "\n"
