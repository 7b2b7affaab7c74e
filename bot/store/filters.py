"""ConversationFilter: the list's filters, sort and page, parsed leniently from a query.

Pure. Unknown or malformed values are dropped (and reported in ``problems``) rather
than failing the page; ``to_args`` gives them back for links and exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RESULTS = ("emergency", "acute", "subacute", "chronic", "sciatica", "piriformis", "out_of_scope")
NO_RESULT = "none"
SORTS = ("started", "last", "turns", "fallbacks", "result")
PER_PAGE = (25, 50, 100)
BOOL_WORDS = {"yes": True, "1": True, "true": True, "no": False, "0": False, "false": False}
MAX_QUERY = 200


def _bool(value: str | None) -> bool | None:
    return BOOL_WORDS.get((value or "").strip().lower())


@dataclass(frozen=True)
class ConversationFilter:
    """What the staff asked for; every field None means no filter on it."""

    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    result: str | None = None
    red_flag: bool | None = None
    fallback: bool | None = None
    callback: bool | None = None
    reviewed: bool | None = None
    tag: str | None = None
    min_turns: int | None = None
    max_turns: int | None = None
    q: str | None = None
    sort: str = "started"
    descending: bool = True
    page: int = 1
    per_page: int = 50
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ConversationFilter:
        """From a flat mapping of query arguments (first value of each)."""
        problems: list[str] = []

        def text(name: str, limit: int = 64) -> str | None:
            value = (args.get(name) or "").strip()
            return value[:limit] or None

        def day(name: str) -> date | None:
            value = text(name)
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                problems.append(f"{name}: expected a date like 2025-01-31")
                return None

        def number(name: str, low: int, high: int) -> int | None:
            value = text(name)
            if value is None:
                return None
            if not value.isdigit():
                problems.append(f"{name}: expected a whole number")
                return None
            return max(low, min(high, int(value)))

        result = text("result")
        if result and result not in RESULTS and result != NO_RESULT:
            problems.append(f"result: unknown {result!r}")
            result = None
        sort = text("sort") or "started"
        if sort not in SORTS:
            problems.append(f"sort: unknown {sort!r}")
            sort = "started"
        per_page = number("per_page", 1, 1000) or 50
        return cls(
            date_from=day("from"),
            date_to=day("to"),
            channel=text("channel"),
            result=result,
            red_flag=_bool(args.get("red_flag")),
            fallback=_bool(args.get("fallback")),
            callback=_bool(args.get("callback")),
            reviewed=_bool(args.get("reviewed")),
            tag=text("tag", 40),
            min_turns=number("min_turns", 0, 100_000),
            max_turns=number("max_turns", 0, 100_000),
            q=text("q", MAX_QUERY),
            sort=sort,
            descending=(args.get("order") or "desc") != "asc",
            page=number("page", 1, 10_000_000) or 1,
            per_page=per_page if per_page in PER_PAGE else 50,
            problems=tuple(problems),
        )

    def to_args(self, **changes) -> dict[str, str]:
        """Query arguments that give this filter back (only the ones that are set)."""
        data = asdict(replace(self, **changes))
        data.pop("problems")
        names = {"date_from": "from", "date_to": "to", "descending": "order"}
        args: dict[str, str] = {}
        for key, value in data.items():
            if value is None or (key, value) in {("sort", "started"), ("page", 1)}:
                continue
            if key == "per_page" and value == 50:
                continue
            if key == "descending":
                if not value:
                    args["order"] = "asc"
                continue
            if isinstance(value, bool):
                value = "yes" if value else "no"
            args[names.get(key, key)] = str(value)
        return args

    def time_range(self, tz: ZoneInfo) -> tuple[float | None, float | None]:
        """Epoch seconds [start, end) of the date range, days taken in the clinic's zone."""
        start = end = None
        if self.date_from:
            start = datetime.combine(self.date_from, time.min, tz).timestamp()
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min, tz).timestamp()
        return start, end

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page
