"""Channel credentials that name environment variables: ``"${VAR}"``, expanded by the channel.

Rasa expands ``${VAR}`` itself only in unquoted YAML scalars, and refuses to start when
one of those variables is unset. The platform channels in credentials.yml therefore quote
their references (``verify: "${FACEBOOK_VERIFY_TOKEN}"``) and expand them here, so that a
channel whose variables are unset is simply off, with one log line saying which to set.
A value without ``${...}`` is used as written; an empty or unset variable counts as unset.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ChannelConfig:
    """Expanded values by credentials key, and the variables required keys still need."""

    values: dict[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    partial: bool = False  # some required values are set, others are not

    @property
    def complete(self) -> bool:
        return not self.unset

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)


def expand(value: Any, env: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """``value`` with its ``${VAR}`` references replaced, or None and the unset names."""
    if value is None:
        return None, []
    text = str(value).strip()
    names = REFERENCE.findall(text)
    unset = [name for name in names if not env.get(name)]
    if unset:
        return None, unset
    expanded = REFERENCE.sub(lambda match: env[match.group(1)], text)
    return (expanded or None), []


def read_config(
    credentials: Mapping[str, Any] | None,
    required: Mapping[str, str],
    optional: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
) -> ChannelConfig:
    """Expand each key of ``required`` and ``optional`` (key -> default reference).

    A key missing from ``credentials`` takes its default, e.g. ``"${TWILIO_AUTH_TOKEN}"``.
    """
    env = os.environ if env is None else env
    credentials = credentials or {}
    values: dict[str, str] = {}
    unset: list[str] = []
    for keys, needed in ((required, True), (optional or {}, False)):
        for key, default in keys.items():
            value, missing = expand(credentials.get(key, default), env)
            if value is not None:
                values[key] = value
            elif needed:
                unset.extend(missing or [f"{key} in credentials.yml"])
    partial = bool(unset) and any(key in values for key in required)
    return ChannelConfig(values, tuple(dict.fromkeys(unset)), partial)


def log_channel_off(logger: logging.Logger, title: str, config: ChannelConfig) -> None:
    """The one line saying a channel is off and what would turn it on."""
    names = ", ".join(config.unset)
    if config.partial:
        logger.warning("%s channel off: partly configured, %s not set.", title, names)
    else:
        logger.info("%s channel off: set %s to turn it on.", title, names)
