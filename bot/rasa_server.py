"""``python -m bot.rasa_server run ...``: Rasa's command line with a bounded action call.

Rasa 3.6 waits up to 5 minutes for each call to the action server (the constant
``DEFAULT_REQUEST_TIMEOUT`` in ``rasa.core.actions.action``; no setting changes it). A hung
action server would then hold the conversation's lock for minutes and every later
message of that visitor would wait behind it. This entry point sets that constant to
``BACKCHAT_ACTION_TIMEOUT_S`` (default 10 s) and runs Rasa's own ``main``. The visitor
hears from :mod:`bot.channels.guard` well before that (4.5 s).
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

ACTION_TIMEOUT_ENV = "BACKCHAT_ACTION_TIMEOUT_S"
DEFAULT_ACTION_TIMEOUT_S = 10


def action_timeout_s(env: Optional[Mapping[str, str]] = None) -> int:
    """``BACKCHAT_ACTION_TIMEOUT_S`` as whole seconds from 1 to 300, else 10."""
    raw = (os.environ if env is None else env).get(ACTION_TIMEOUT_ENV) or ""
    if not raw.strip().isdigit():
        return DEFAULT_ACTION_TIMEOUT_S
    return min(max(int(raw), 1), 300)


def main() -> None:
    """Bound the action-server call, then hand over to Rasa's command line."""
    import rasa.core.actions.action as rasa_actions
    from rasa.__main__ import main as rasa_main

    rasa_actions.DEFAULT_REQUEST_TIMEOUT = action_timeout_s()
    rasa_main()


if __name__ == "__main__":
    main()
