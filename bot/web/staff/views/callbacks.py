"""The call-back queue: requests visitors left, moved from new to called to closed."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request

from bot.store import callbacks
from bot.store.schema import CALLBACK_STATUSES

from ..auth import PREFIX, protected
from ..context import blocking, staff
from ..render import render
from .common import catch_up, form_value, log, see_other


def make() -> Blueprint:
    bp = Blueprint("staff_callbacks", url_prefix=PREFIX)

    @bp.get("/callbacks")
    @protected()
    async def queue(request: Request):
        ctx = staff(request)
        status = request.args.get("status") or ""
        status = status if status in CALLBACK_STATUSES else ""
        await catch_up(ctx)
        rows = await blocking(callbacks.queue, ctx.store, status or None)
        counts = await blocking(callbacks.counts, ctx.store)
        await log(request, "view_callbacks", status=status or "all")
        return render(
            request,
            "callbacks.html",
            rows=rows,
            counts=counts,
            status=status,
            statuses=CALLBACK_STATUSES,
        )

    @bp.post("/callbacks/status")
    @protected()
    async def set_status(request: Request):
        ctx = staff(request)
        raw_id, status = form_value(request, "id"), form_value(request, "status")
        if not raw_id.isdigit() or status not in CALLBACK_STATUSES:
            return response.text("Unknown request or status.", status=400)
        found = await blocking(callbacks.get, ctx.store, int(raw_id))
        if not found:
            return response.text("No such call-back request.", status=404)
        await blocking(callbacks.set_status, ctx.store, int(raw_id), status, request.ctx.user.name)
        await log(request, "callback_status", found["sender_id"], id=int(raw_id), status=status)
        return see_other(f"{PREFIX}/callbacks", status=form_value(request, "back"))

    return bp
