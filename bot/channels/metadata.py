"""Bounds on the ``metadata`` a visitor's client may attach to a message.

Rasa stores a message's metadata in its ``user`` event, so every byte a caller sends is
kept (and copied with the tracker on every turn). The widget sends none; a REST or
socket.io client may send a small JSON object: at most ``MAX_METADATA_BYTES`` as compact
JSON and ``MAX_METADATA_DEPTH`` levels of nesting.
"""

from __future__ import annotations

import json
from typing import Any

MAX_METADATA_BYTES = 1024
MAX_METADATA_DEPTH = 4


class MetadataRefused(ValueError):
    """Metadata that is not a small JSON object; the text says why."""


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of ``value``, counting no further than ``limit + 1``."""
    if not isinstance(value, (dict, list)) or limit < 0:
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def bounded_metadata(value: Any) -> dict[str, Any]:
    """``value`` if it is a small JSON object (``None`` is ``{}``), else MetadataRefused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MetadataRefused("'metadata' must be a JSON object")
    if _depth(value, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH:
        raise MetadataRefused(f"'metadata' may nest at most {MAX_METADATA_DEPTH} levels")
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise MetadataRefused(f"'metadata' may be at most {MAX_METADATA_BYTES} bytes of JSON")
    return value
