"""The conversation list, the transcript, and staff work on it (review, tags, notes)."""

from __future__ import annotations

from functools import wraps

from sanic import Blueprint, response
from sanic.request import Request

from bot.store import callbacks, conversations, reviews, transcript
from bot.store.events import conversation_events, has_events_table
from bot.store.filters import RESULTS, SORTS

from ..auth import PREFIX, protected
from ..context import StaffContext, blocking, staff
from ..render import render
from .common import args_of, catch_up, filter_detail, filter_of, form_value, log, see_other
from .labelling import context as correction_context

TRANSCRIPT = f"{PREFIX}/conversation"


def load_transcript(ctx: StaffContext, sender_id: str):
    """The transcript of one visitor (None if the tracker store has no events for them)."""
    store = ctx.store
    if not sender_id or not has_events_table(store.tracker):
        return None
    with store.tracker.connect() as conn:
        events = conversation_events(conn, store.events, sender_id)
    return transcript.build(events, store.low_confidence, ctx.thresholds)


def known_conversation(handler):
    """Call ``handler(request, sender_id)`` with the form's conversation id, or answer 404
    when the read model has no such conversation."""

    @wraps(handler)
    async def wrapper(request: Request):
        sender_id = form_value(request, "id")
        if not await blocking(conversations.get, staff(request).store, sender_id):
            return response.text("No such conversation.", status=404)
        return await handler(request, sender_id)

    return wrapper


def make() -> Blueprint:
    bp = Blueprint("staff_conversations", url_prefix=PREFIX)

    @bp.get("/conversations")
    @protected()
    async def conversation_list(request: Request):
        ctx = staff(request)
        f = filter_of(request)
        await catch_up(ctx)
        page = await blocking(conversations.page, ctx.store, f, ctx.config.timezone)
        known_channels = await blocking(conversations.channels, ctx.store)
        known_tags = await blocking(conversations.all_tags, ctx.store)
        await log(request, "view_list", **filter_detail(f))
        return render(
            request,
            "conversations.html",
            f=f,
            args=args_of(request),
            page=page,
            channels=known_channels,
            tags=known_tags,
            results=RESULTS,
            sorts=SORTS,
        )

    @bp.get("/conversation")
    @protected()
    async def conversation(request: Request):
        ctx = staff(request)
        sender_id = (request.args.get("id") or "").strip()
        found = await blocking(load_transcript, ctx, sender_id)
        if found is None:
            return response.text("No such conversation.", status=404)
        row = await blocking(conversations.get, ctx.store, sender_id)
        notes = await blocking(reviews.notes_of, ctx.store, sender_id)
        requests = await blocking(callbacks.for_sender, ctx.store, sender_id)
        corrections = await blocking(correction_context, ctx, found)
        await log(request, "view_conversation", sender_id)
        return render(
            request,
            "transcript.html",
            t=found,
            row=row or {},
            notes=notes,
            callbacks=requests,
            back=request.args.get("back") or "",
            **corrections,
        )

    @bp.post("/conversation/review")
    @protected()
    @known_conversation
    async def review(request: Request, sender_id: str):
        done = form_value(request, "reviewed", "yes") == "yes"
        user = request.ctx.user
        await blocking(reviews.set_reviewed, staff(request).store, sender_id, user.name, done)
        await log(request, "review" if done else "unreview", sender_id)
        return see_other(TRANSCRIPT, id=sender_id)

    @bp.post("/conversation/tag")
    @protected()
    @known_conversation
    async def tag(request: Request, sender_id: str):
        try:
            added = await blocking(
                reviews.add_tag, staff(request).store, sender_id, form_value(request, "tag")
            )
        except ValueError as problem:
            return response.text(str(problem), status=400)
        await log(request, "tag", sender_id, tag=added)
        return see_other(TRANSCRIPT, id=sender_id)

    @bp.post("/conversation/untag")
    @protected()
    async def untag(request: Request):
        sender_id, name = form_value(request, "id"), form_value(request, "tag")
        await blocking(reviews.remove_tag, staff(request).store, sender_id, name)
        await log(request, "untag", sender_id, tag=name)
        return see_other(TRANSCRIPT, id=sender_id)

    @bp.post("/conversation/note")
    @protected()
    @known_conversation
    async def note(request: Request, sender_id: str):
        try:
            note_id = await blocking(
                reviews.add_note,
                staff(request).store,
                sender_id,
                request.ctx.user.name,
                form_value(request, "body"),
            )
        except ValueError as problem:
            return response.text(str(problem), status=400)
        await log(request, "note", sender_id, note_id=note_id)
        return see_other(TRANSCRIPT, id=sender_id)

    return bp
