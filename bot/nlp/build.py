"""``python -m bot.nlp.build OUTPUT_DIR``: save the pipeline for Rasa's ``SpacyNLP``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.nlp.pipeline import build_nlp


def main(argv: list[str] | None = None) -> int:
    """Build the pipeline and write it with ``nlp.to_disk``; prints the path."""
    parser = argparse.ArgumentParser(prog="python -m bot.nlp.build", description=__doc__)
    parser.add_argument("output_dir", type=Path, help="directory to write (created if missing)")
    args = parser.parse_args(argv)
    nlp = build_nlp()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.output_dir)
    print(
        f"saved {nlp.meta['name']} {nlp.meta['version']} ({', '.join(nlp.pipe_names)}) "
        f"to {args.output_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
