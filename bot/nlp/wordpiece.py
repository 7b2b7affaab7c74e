"""BERT's uncased WordPiece tokenizer in pure Python (what ``BertTokenizer`` does).

Text -> basic tokens (clean, lower-case, strip accents, split on whitespace and
punctuation, CJK characters apart) -> greedy longest-match word pieces from ``vocab.txt``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

UNKNOWN = "[UNK]"
CLS = "[CLS]"
SEP = "[SEP]"
MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _clean(text: str) -> str:
    """Drops NUL, U+FFFD and control characters; every kind of whitespace becomes a space."""
    kept = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD):
            continue
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            kept.append(f" {char} ")
        else:
            kept.append(char)
    return "".join(kept)


def basic_tokens(text: str) -> list[str]:
    """Lower-cased, accent-free words and single punctuation marks."""
    text = unicodedata.normalize("NFD", _clean(text).lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    tokens: list[str] = []
    for word in text.split():
        current = ""
        for char in word:
            if _is_punctuation(char):
                if current:
                    tokens.append(current)
                    current = ""
                tokens.append(char)
            else:
                current += char
        if current:
            tokens.append(current)
    return tokens


class WordPiece:
    """Maps text to vocabulary ids, ``[CLS] ... [SEP]``, at most ``max_length`` ids."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return cls({token: index for index, token in enumerate(lines)})

    def pieces(self, word: str) -> list[str]:
        """Greedy longest-match pieces of one word (``[UNK]`` if it cannot be covered)."""
        if len(word) > MAX_WORD_CHARS:
            return [UNKNOWN]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    break
                end -= 1
            else:
                return [UNKNOWN]
            pieces.append(piece)
            start = end
        return pieces

    def encode(self, text: str, max_length: int = 128) -> list[int]:
        """Ids of ``[CLS] pieces... [SEP]``, the pieces cut to fit ``max_length``."""
        pieces: list[str] = []
        for token in basic_tokens(text):
            pieces.extend(self.pieces(token))
            if len(pieces) >= max_length - 2:
                break
        pieces = pieces[: max_length - 2]
        return [self.vocab[CLS], *(self.vocab[p] for p in pieces), self.vocab[SEP]]
