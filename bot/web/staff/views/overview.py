"""The overview: conversations per day, results, red flags, fallbacks, outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sanic import Blueprint
from sanic.request import Request

from bot.store import measure, overview
from bot.store.filters import ConversationFilter

from .. import charts
from ..auth import PREFIX, protected
from ..context import blocking, staff
from ..render import render
from .common import args_of, catch_up, log

DEFAULT_DAYS = 30
FALLBACK_TITLE = "Conversations with a fallback or low-confidence turn (%)"


def period(request: Request) -> tuple[date, date]:
    """The requested days, by default the last 30 up to today (clinic's time zone)."""
    f = ConversationFilter.from_args(args_of(request))
    today = datetime.now(staff(request).config.timezone).date()
    last = f.date_to or today
    first = f.date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    return first, last


def weekly_charts(weeks) -> dict:
    """The live measure's three charts, one bar per week."""
    label = [w.first_day.strftime("%d %b") for w in weeks]
    agreement = [None if w.agreement is None else 100 * w.agreement for w in weeks]
    return {
        "agreement_chart": charts.columns(
            list(zip(label, agreement, strict=False)),
            "Staff agreed with the bot's category (% of reviewed conversations), per week",
            fmt="{:.0f}",
            top=100,
        ),
        "fallback_week_chart": charts.columns(
            list(zip(label, [w.fallbacks_per_100 for w in weeks], strict=False)),
            "Fallbacks per 100 visitor messages, per week",
            fmt="{:.1f}",
        ),
        "red_flag_week_chart": charts.columns(
            list(zip(label, [w.red_flags for w in weeks], strict=False)),
            "Red flags raised, per week",
        ),
    }


def make() -> Blueprint:
    bp = Blueprint("staff_overview", url_prefix=PREFIX)

    @bp.get("/overview")
    @protected()
    async def overview_page(request: Request):
        ctx = staff(request)
        first, last = period(request)
        await catch_up(ctx)
        o = await blocking(overview.overview, ctx.store, first, last, ctx.config.timezone)
        weeks = await blocking(measure.weekly, ctx.store, first, last, ctx.config.timezone)
        await log(request, "view_overview", first=str(first), last=str(last))
        label = "%d %b" if o.bucket_days == 1 else "from %d %b"
        per_day = [(b["day"].strftime(label), b["conversations"]) for b in o.per_bucket]
        fallback_share = [
            (b["day"].strftime(label), 100.0 * b["with_fallback"] / max(1, b["conversations"]))
            for b in o.per_bucket
        ]
        return render(
            request,
            "overview.html",
            o=o,
            first=first,
            last=last,
            per_day_chart=charts.columns(per_day, "Conversations per day"),
            fallback_chart=charts.columns(
                fallback_share,
                "Conversations with a fallback or low-confidence turn (%)",
                fmt="{:.0f}",
            ),
            results_chart=charts.bars(o.results, "Results by category", alert=("emergency",)),
            flags_chart=charts.bars(
                o.red_flags, "Red flags", alert=tuple(f for f, _ in o.red_flags)
            ),
            weeks=weeks,
            **weekly_charts(weeks),
        )

    return bp
