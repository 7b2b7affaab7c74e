"""``python -m bot.runtime.preflight``: check the services the current profile needs, exit 0 or 2.

Handy as an init container, or before ``python -m bot.rasa_ext.rasa_server run`` in a
container; the checks themselves are in :mod:`bot.runtime.service_checks`.
"""

from __future__ import annotations

import sys

from bot.runtime.env import SettingsError
from bot.runtime.profiles import load_profile
from bot.runtime.service_checks import Unreachable, connect_timeout_s, wait_for_all


def main() -> int:
    """Check the services the current profile needs; print what is wrong."""
    try:
        profile = load_profile()
        timeout_s = connect_timeout_s()
        wait_for_all(profile.checks(), timeout_s)
    except (SettingsError, Unreachable) as error:
        print(f"BackChat cannot start: {error}", file=sys.stderr)
        return 2
    print(f"{profile.name} profile: every service answers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
