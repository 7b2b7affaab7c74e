"""End-to-end evaluation of BackChat: simulated visitors talk to a running Rasa server.

Modules, one job each:

- ``client``: the REST channel and tracker endpoints (standard-library HTTP).
- ``visitors``: load and validate ``tests/eval/visitors.yml``.
- ``state``: the parts of a tracker the driver and the metrics read.
- ``script``: what a visitor says next, given the bot's state (pure).
- ``driver``: play one visitor against the server.
- ``judge``: turn one conversation into an ``Outcome`` (pure).
- ``metrics``: aggregate outcomes into accuracy, recall, confusion... (pure).
- ``report``: text and JSON renderings of the metrics.
- ``runner``: play many visitors, a few at a time.
- ``cli``: ``python -m bot.evaluation``.
"""
