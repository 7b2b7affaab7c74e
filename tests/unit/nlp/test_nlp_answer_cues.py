"""How a message answers, read in bot.nlp so the dialogue layer reads no text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.nlp.answer_cues import CUES, read_cues
from bot.nlp.entities import is_subject

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "text, cues",
    [
        ("nope", {"answer_no"}),
        ("yeah a bit", {"answer_yes"}),
        ("yeah the slip on the ice, but it wasn't a big fall", {"answer_yes", "qualified"}),
        ("sorry, i meant the left one", {"correction", "side_left"}),
        ("sitting is fine, it's running that hurts", {"sitting_named", "sitting_fine"}),
        ("both sides", {"side_both"}),
        ("no, both legs fine", {"answer_no"}),
        ("not left, right", {"side_right"}),
        ("does sitting make it worse?", {"sitting_named", "question"}),
        ("i hurt my back lifting", {"first_person_pain"}),
    ],
)
def test_cues(text, cues):
    assert set(read_cues(text)) == cues
    assert set(read_cues(text)) <= set(CUES)


@pytest.mark.parametrize(
    "after, subject",
    [(" has back pain", True), (" Liam is 24", True), (" move house", False), ("", False)],
)
def test_a_person_is_the_subject_when_a_verb_follows(after, subject):
    assert is_subject(after) is subject


def test_the_dialogue_layer_reads_no_text():
    """No regular expression and no use of the message text in bot/dialogue."""
    for path in (ROOT / "bot" / "dialogue").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "re" not in imported, path.name
        text_reads = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value == "text"
        ]
        assert not text_reads, f"{path.name} reads the message text"
