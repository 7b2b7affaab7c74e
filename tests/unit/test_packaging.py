"""pyproject.toml: the ``backchat`` command points at bot/cli.py."""

import importlib
from pathlib import Path

import tomli

PYPROJECT = tomli.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())


def test_the_backchat_command_runs_the_cli_main():
    module, _, function = PYPROJECT["project"]["scripts"]["backchat"].partition(":")
    assert (module, function) == ("bot.cli", "main")
    assert callable(getattr(importlib.import_module(module), function))
