"""JSON API for the staff area (same session as the pages).

The conversation list and a transcript are what the exports give (bot.store.export), so
they follow the exports' rule: admins only. The call-back queue and the overview are
what every staff member sees on the pages.
"""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request

from bot.store import callbacks, conversations, export, measure, overview

from ..auth import PREFIX, protected
from ..context import blocking, staff
from .common import catch_up, filter_detail, filter_of, log
from .conversations import load_transcript
from .overview import period


def make() -> Blueprint:
    bp = Blueprint("staff_api", url_prefix=f"{PREFIX}/api")

    @bp.get("/me")
    @protected()
    async def me(request: Request):
        user = request.ctx.user
        return response.json({"name": user.name, "role": user.role})

    @bp.get("/conversations")
    @protected("admin")
    async def conversation_list(request: Request):
        ctx = staff(request)
        f = filter_of(request)
        await catch_up(ctx)
        page = await blocking(conversations.page, ctx.store, f, ctx.config.timezone)
        await log(request, "api_list", **filter_detail(f))
        return response.json(
            {
                "total": page.total,
                "page": page.page,
                "pages": page.pages,
                "per_page": page.per_page,
                "problems": list(f.problems),
                "conversations": [export.list_record(row) for row in page.rows],
            }
        )

    @bp.get("/conversation")
    @protected("admin")
    async def conversation(request: Request):
        sender_id = (request.args.get("id") or "").strip()
        found = await blocking(load_transcript, staff(request), sender_id)
        if found is None:
            return response.json({"error": "no such conversation"}, status=404)
        await log(request, "api_conversation", sender_id)
        return response.text(export.transcript_json(found), content_type="application/json")

    @bp.get("/callbacks")
    @protected()
    async def callback_queue(request: Request):
        rows = await blocking(callbacks.queue, staff(request).store)
        await log(request, "api_callbacks")
        return response.json(rows)

    @bp.get("/overview")
    @protected()
    async def overview_figures(request: Request):
        ctx = staff(request)
        first, last = period(request)
        o = await blocking(overview.overview, ctx.store, first, last, ctx.config.timezone)
        weeks = await blocking(measure.weekly, ctx.store, first, last, ctx.config.timezone)
        await log(request, "api_overview", first=str(first), last=str(last))
        return response.json(
            {
                "first_day": str(o.first_day),
                "last_day": str(o.last_day),
                "conversations": o.conversations,
                "fallback_rate": o.fallback_rate,
                "booking_or_callback_share": o.booking_share,
                "red_flag_conversations": o.red_flag_conversations,
                "results": dict(o.results),
                "red_flags": dict(o.red_flags),
                "per_day": [
                    {"day": str(b["day"]), "conversations": b["conversations"]}
                    for b in o.per_bucket
                ],
                "unrecognised": [{"text": t, "count": n} for t, n in o.unrecognised],
                "weekly": [
                    {
                        "week": str(w.first_day),
                        "conversations": w.conversations,
                        "reviewed": w.reviewed,
                        "agreement": w.agreement,
                        "fallbacks_per_100_messages": w.fallbacks_per_100,
                        "red_flags": w.red_flags,
                    }
                    for w in weeks
                ],
            }
        )

    return bp
