"""Read models over Rasa's SQL tracker store (the ``events`` table) and the staff tables.

``Store`` (bot.store.store) is the entry point: it holds the two engines (tracker and
staff, often the same database) and the table definitions; the other modules are
functions over it, one job each.
"""

from .store import Store, open_store

__all__ = ["Store", "open_store"]
