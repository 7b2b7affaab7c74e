"""``python -m bot.evaluation.on_fresh_stack [ARGS]``: start a stack, evaluate, stop it.

What ``make eval`` runs: the real servers on free ports with a throw-away state folder,
then ``python -m bot.evaluation`` against them with ARGS.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bot.evaluation.cli import main as evaluate
from bot.harness.stack import RunningStack


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="backchat-eval-") as var_dir:
        stack = RunningStack(Path(var_dir)).start()
        print(f"Stack up in {stack.startup_s:.1f} s at {stack.rasa_url}", file=sys.stderr)
        try:
            return evaluate(["--rasa-url", stack.rasa_url, "--token", stack.token, *argv])
        finally:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
