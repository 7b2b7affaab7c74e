"""``python -m bot.evaluation``: see ``bot.evaluation.cli``."""

from .cli import main

raise SystemExit(main())
