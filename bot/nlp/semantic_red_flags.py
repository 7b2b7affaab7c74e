"""The semantic red-flag layer: red flags in the visitor's own words, beside the rules.

A bank of short statements per red flag, and statements that are not red flags
(``red_flag_bank.yml``), is embedded with the sentence encoder the intent model already
runs. Each clause of a message whose assertion is "present" (``bot.nlp.assertion``) is
scored two ways: a logistic regression over the bank (flags + "none"), and the cosine
similarity to the nearest statement of that flag. A clause that both call a flag is a
**clear** finding (it raises the flag like a rule would); one that only one of them, or
both weakly, call a flag is a **possible** finding: the dialogue asks about it, quoting
the visitor. Pure: no Rasa import; the encoder is passed in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from bot.nlp.assertion import PRESENT, clause_assertion, flag_status

BANK_PATH = Path(__file__).with_name("red_flag_bank.yml")
NONE = "none"
#: A clear finding: the classifier's probability and the similarity both at least these.
CLEAR_PROBABILITY = 0.80
CLEAR_SIMILARITY = 0.72
#: A possible finding (asked about): both of these. Chosen on the bank's 5-fold
#: cross-validation and the NLU examples: it asks about 1.2% of ordinary clauses.
POSSIBLE_PROBABILITY = 0.55
POSSIBLE_SIMILARITY = 0.60
#: A clause that names one side is not about both legs.
_ONE_SIDE = re.compile(r"\b(left|right|one (leg|side|foot)|just the one|only one)\b", re.I)
#: A fall or a lift that happened (not "she hasn't fallen"): osteoporosis_fall needs one.
_FALL_OR_LIFT = re.compile(
    r"(?<!n't )(?<!not )(?<!never )(?<!no )\b(fell|fall|falls|slipped|slip|tripped|trip"
    r"|stumbled|tumbled|lifted|lifting|lift|picked|bent|bending|twisted|landed|knocked|jarred"
    r"|jolted|bumped|sat down( too)? hard|dropped (onto|into|on))\b",
    re.I,
)
#: Clauses shorter than this (in words) carry too little to judge ("yes", "no thanks").
MIN_WORDS = 3
MAX_CLAUSES = 16
LONG_CLAUSE_WORDS = 14
_LONG_CLAUSE_SPLIT = re.compile(
    r",\s*|\s+(?=\b(?:and then|and now|and i|and my|then|like when|till|until|so i|because|cause"
    r"|i thought|my temperature|since the)\b)",
    re.I,
)
_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?;\n])\s+|\s*[.!?;\n]+\s*|,\s+(?=(?:but|and|so|though|although)\b)|\s+\b(?:but|though|although|however|except)\b\s+",
    re.I,
)

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Finding:
    """One flag read in one clause; ``clear`` raises it, otherwise it is asked about."""

    flag: str
    clause: str
    start: int
    end: int
    probability: float
    similarity: float
    clear: bool


def bank_digest(path: Path = BANK_PATH) -> str:
    """SHA-256 of the bank file: a new bank retrains the layer."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_bank(path: Path = BANK_PATH) -> tuple[list[str], list[str]]:
    """(statements, labels) with label ``none`` for the statements that are not flags."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    texts, labels = [], []
    for flag, statements in (data.get("flags") or {}).items():
        texts += [str(s) for s in statements]
        labels += [str(flag)] * len(statements)
    texts += [str(s) for s in data.get("none") or []]
    labels += [NONE] * len(data.get("none") or [])
    return texts, labels


def clauses(text: str) -> list[tuple[str, int, int]]:
    """(clause, start, end) character spans: sentences, then contrast words; a long clause
    (a dictated story without stops) is cut again at "and then", "like when", "till"..."""
    found = []
    for clause, start, _ in _pieces(text, _CLAUSE_SPLIT, 0):
        if len(clause.split()) <= LONG_CLAUSE_WORDS:
            found.append((clause, start, start + len(clause)))
            continue
        found += _pieces(clause, _LONG_CLAUSE_SPLIT, start)
    return found[:MAX_CLAUSES]


def _pieces(text: str, splitter: re.Pattern, offset: int) -> list[tuple[str, int, int]]:
    found, position = [], 0
    for piece in splitter.split(text):
        if not piece or not piece.strip():
            continue
        start = text.find(piece, position)
        if start < 0:
            continue
        position = start + len(piece)
        stripped = piece.strip()
        begin = offset + start + piece.index(stripped)
        found.append((stripped, begin, begin + len(stripped)))
    return found


class SemanticRedFlags:
    """Fit on the bank's embeddings; :meth:`findings` reads a message's clauses."""

    def __init__(
        self, classifier: LogisticRegression, bank: np.ndarray, bank_labels: Sequence[str]
    ) -> None:
        self.classifier = classifier
        self.bank = bank
        self.bank_labels = np.asarray(bank_labels)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], embed: Embed) -> SemanticRedFlags:
        vectors = embed(list(texts))
        classifier = LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced")
        classifier.fit(vectors, list(labels))
        return cls(classifier, vectors.astype(np.float32), labels)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            bank=self.bank,
            bank_labels=self.bank_labels,
            coef=self.classifier.coef_,
            intercept=self.classifier.intercept_,
            classes=self.classifier.classes_,
        )

    @classmethod
    def load(cls, path: Path) -> SemanticRedFlags:
        with np.load(path, allow_pickle=False) as data:
            classifier = LogisticRegression()
            classifier.coef_ = data["coef"]
            classifier.intercept_ = data["intercept"]
            classifier.classes_ = data["classes"]
            return cls(classifier, data["bank"], data["bank_labels"])

    def score(self, vectors: np.ndarray) -> list[tuple[str, float, float]]:
        """For each vector: (best flag, its probability, similarity to that flag's bank)."""
        probabilities = self.classifier.predict_proba(vectors)
        classes = list(self.classifier.classes_)
        similarities = vectors @ self.bank.T
        scored = []
        for row, probs in enumerate(probabilities):
            order = [i for i in np.argsort(-probs) if classes[i] != NONE]
            flag = classes[order[0]]
            nearest = float(similarities[row, self.bank_labels == flag].max())
            scored.append((flag, float(probs[order[0]]), nearest))
        return scored

    def findings(self, text: str, embed: Embed) -> list[Finding]:
        """Flags read in the clauses of ``text`` that the visitor asserts as theirs."""
        parts = [
            (clause, start, end)
            for clause, start, end in clauses(text)
            if len(clause.split()) >= MIN_WORDS and clause_assertion(clause) == PRESENT
        ]
        if not parts:
            return []
        found = []
        vectors = embed([clause for clause, _, _ in parts])
        for (clause, start, end), (flag, probability, similarity) in zip(
            parts, self.score(vectors), strict=False
        ):
            if flag_status(flag, _sentence_around(text, start, end)) != PRESENT:
                continue
            clear = probability >= CLEAR_PROBABILITY and similarity >= CLEAR_SIMILARITY
            possible = probability >= POSSIBLE_PROBABILITY and similarity >= POSSIBLE_SIMILARITY
            if flag == "bilateral_leg_symptoms" and _ONE_SIDE.search(clause):
                clear = possible = False
            if flag == "osteoporosis_fall" and not _FALL_OR_LIFT.search(text):
                clear = possible = False  # thin bones alone are not the flag
            if clear or possible:
                found.append(Finding(flag, clause, start, end, probability, similarity, clear))
        return found


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (between . ! ? ; or a new line) that holds ``text[start:end]``."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?;\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in ".!?;\n") if i >= 0]
    return text[left : min(rights) if rights else len(text)]


def best_per_flag(findings: Sequence[Finding]) -> Mapping[str, Finding]:
    """The strongest finding of each flag (clear before possible)."""
    best: dict = {}
    for finding in findings:
        kept = best.get(finding.flag)
        if kept is None or (finding.clear, finding.probability) > (kept.clear, kept.probability):
            best[finding.flag] = finding
    return best
