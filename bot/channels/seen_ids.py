"""The one bounded memory of message ids already handled, to drop a request sent again.

A platform resends a webhook it thinks failed, and an attacker may replay one with its
valid signature; the widget resends a message whose ack was lost. Each keeps the last ids
it handled here, in memory per process: a replay after a restart is not caught (see
docs/channels.md).
"""

from __future__ import annotations

from collections import OrderedDict

REMEMBERED_IDS = 10_000


class SeenIds:
    """The ``size`` ids seen last in each of at most ``scopes`` scopes (least recent go first).

    A platform webhook uses the one default scope; the widget a scope per session.
    """

    def __init__(self, size: int = REMEMBERED_IDS, scopes: int = 1):
        self.size = size
        self.scopes = scopes
        self._seen: OrderedDict[str, OrderedDict[str, None]] = OrderedDict()

    def first_time(self, message_id: str, scope: str = "") -> bool:
        """True once per id in a scope, False whenever it comes again."""
        ids = self._seen.pop(scope, None)
        if ids is None:
            ids = OrderedDict()
        self._seen[scope] = ids
        while len(self._seen) > self.scopes:
            self._seen.popitem(last=False)
        if message_id in ids:
            ids.move_to_end(message_id)
            return False
        ids[message_id] = None
        while len(ids) > self.size:
            ids.popitem(last=False)
        return True
