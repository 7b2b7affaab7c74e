"""Play many visitors against one server, a bounded number at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from .driver import MAX_TURNS, Client, play
from .judge import Outcome, judge
from .visitors import Visitor

DEFAULT_WORKERS = 4


def run_visitors(
    client: Client,
    visitors: Sequence[Visitor],
    booking_link: str,
    workers: int = DEFAULT_WORKERS,
    max_turns: int = MAX_TURNS,
    progress: Callable[[Outcome], None] | None = None,
    mode: str = "truthful",
) -> list[Outcome]:
    """Outcomes in the visitors' order; each visitor gets a fresh sender id.

    ``mode``: how the visitors answer (``script.MODES``)."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")

    def one(visitor: Visitor) -> Outcome:
        outcome = judge(
            visitor, play(client, visitor, max_turns=max_turns, mode=mode), booking_link
        )
        if progress is not None:
            progress(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="visitor") as pool:
        return list(pool.map(one, visitors))
