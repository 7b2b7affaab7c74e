"""The clinic configuration, loaded once per action-server process."""

from functools import lru_cache

from bot.clinic import Clinic, load_clinic


@lru_cache(maxsize=1)
def clinic() -> Clinic:
    """clinic.yml, validated (the server refuses to start on a bad file)."""
    return load_clinic()
