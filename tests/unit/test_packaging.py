"""pyproject.toml: the ``backchat`` command points at bot/cli.py; one Python version."""

import importlib
from pathlib import Path

import tomli

PYPROJECT = tomli.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())


def test_the_backchat_command_runs_the_cli_main():
    module, _, function = PYPROJECT["project"]["scripts"]["backchat"].partition(":")
    assert (module, function) == ("bot.cli", "main")
    assert callable(getattr(importlib.import_module(module), function))


def test_ruff_targets_the_python_the_project_requires():
    assert PYPROJECT["project"]["requires-python"].startswith(">=3.10")
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py310"
