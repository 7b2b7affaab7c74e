"""End-to-end evaluation data (visitors.yml) and test helpers for bot.evaluation."""
