"""Environment values read one way: unset or empty means the default, anything else must fit.

A value that does not fit raises :class:`SettingsError` naming the variable, what it
expects and what it got (``BACKCHAT_WEB_PORT: expected a whole number from 1 to 65535,
got 'abc'``), so every bad setting stops the start the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
Default = TypeVar("Default")


class SettingsError(ValueError):
    """An environment variable holds a value BackChat cannot use."""


def _raw(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def _refuse(name: str, expected: str, raw: str) -> SettingsError:
    return SettingsError(f"{name}: expected {expected}, got {raw!r}")


def env_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``."""
    raw = _raw(env, name)
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _refuse(name, f"a whole number from {low} to {high}", raw)
    return int(raw)


def env_float(
    env: Mapping[str, str], name: str, default: Default, low: float, high: float
) -> float | Default:
    """A number from ``low`` to ``high`` (``default`` may be None: not set)."""
    raw = _raw(env, name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise _refuse(name, f"a number from {low:g} to {high:g}", raw)
    return value


def env_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """1/true/yes/on or 0/false/no/off, in any case."""
    raw = _raw(env, name).lower()
    if not raw:
        return default
    if raw not in TRUE_WORDS + FALSE_WORDS:
        raise _refuse(name, "one of " + "/".join(TRUE_WORDS + FALSE_WORDS), raw)
    return raw in TRUE_WORDS


def env_choice(
    env: Mapping[str, str], name: str, choices: Sequence[str], default: str | None = None
) -> str:
    """One of ``choices`` (compared in lower case); ``default`` when unset."""
    raw = _raw(env, name).lower()
    if not raw and default is not None:
        return default
    if raw not in choices:
        raise _refuse(name, "one of " + ", ".join(choices), raw)
    return raw
