"""The production profile starts only with real secrets from the environment.

The embedded profile generates its secrets once into ``var/`` (mode 600). In production
every server of a deployment must share them, so they must come from the environment, and
a missing, short or placeholder value stops the start-up with the reason (exit 2):

* ``BACKCHAT_API_TOKEN`` (Rasa's HTTP API) and ``BACKCHAT_SESSION_SECRET`` (the widget's
  signed sessions) for the Rasa servers;
* ``BACKCHAT_STAFF_SECRET`` (staff session cookies) for the web app.

Strong means at least 32 characters, at least 10 different ones, no placeholder words
("change-me", "example", ...) and no two of them equal. ``openssl rand -hex 32`` makes one.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

MIN_SECRET_CHARS = 32
MIN_DISTINCT_CHARS = 10
SECRETS_BY_SERVICE = {
    "rasa": ("BACKCHAT_API_TOKEN", "BACKCHAT_SESSION_SECRET"),
    "web": ("BACKCHAT_STAFF_SECRET",),
}
PLACEHOLDER_WORDS = (
    "changeme", "change-me", "change_me", "replace", "example", "placeholder", "your-",
    "your_", "secret-here", "default", "password", "xxxxxx", "todo",
)  # fmt: skip


def weakness(value: str) -> str:
    """Why ``value`` is not a production secret ("" if it is fine)."""
    if not value:
        return "is not set"
    if len(value) < MIN_SECRET_CHARS:
        return f"is shorter than {MIN_SECRET_CHARS} characters"
    if len(set(value)) < MIN_DISTINCT_CHARS:
        return "repeats too few characters to be random"
    lowered = value.lower()
    word = next((w for w in PLACEHOLDER_WORDS if w in lowered), None)
    if word:
        return f"looks like a placeholder (contains {word!r})"
    return ""


def production_secret_problems(env: Mapping[str, str], services: Sequence[str]) -> list[str]:
    """One line per missing or weak secret that the given servers need."""
    names = [name for service in services for name in SECRETS_BY_SERVICE.get(service, ())]
    problems = [
        f"{name} {reason} (make one with `openssl rand -hex 32`)"
        for name in names
        if (reason := weakness(env.get(name, "")))
    ]
    values = [env.get(name, "") for name in names if env.get(name)]
    if len(values) != len(set(values)):
        problems.append(f"{', '.join(names)} must all be different")
    return problems


def generated_secrets() -> dict[str, str]:
    """Fresh strong values for every secret: for local runs of the production profile."""
    return {name: secrets.token_hex(32) for names in SECRETS_BY_SERVICE.values() for name in names}
