"""The review queue, staff's default page: what is worth a look, and why."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request

from bot.store import queue
from bot.store.reasons import REASONS

from ..auth import PREFIX, protected
from ..context import blocking, staff
from ..render import render
from .common import catch_up, log

QUEUE = f"{PREFIX}/queue"


def _page_number(raw: str) -> int:
    return max(1, min(100_000, int(raw))) if raw.isdigit() else 1


def make() -> Blueprint:
    bp = Blueprint("staff_queue", url_prefix=PREFIX)

    @bp.get("/queue")
    @protected()
    async def review_queue(request: Request):
        ctx = staff(request)
        reason = request.args.get("reason") or None
        number = _page_number(request.args.get("page") or "")
        await catch_up(ctx)
        found = await blocking(queue.page, ctx.store, number, queue.PER_PAGE, reason)
        await log(request, "view_queue", reason=found.reason or "all", page=number)
        return render(request, "queue.html", q=found, reasons=list(REASONS.values()))

    return bp
