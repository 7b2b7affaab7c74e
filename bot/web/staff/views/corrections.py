"""Corrections on the transcript: a visitor message's right intent and facts, and the
conversation's category. Stored with who and when (bot.store.labels), audited, editable.
"""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request

from bot.review import facts as vocabulary
from bot.store import labels
from bot.store.turns import Turn

from ..auth import PREFIX, protected
from ..context import StaffContext, blocking, staff
from .common import form_value, log, see_other
from .conversations import TRANSCRIPT, known_conversation, load_transcript
from .labelling import correctable

TEXT_LIMIT = 2000


def _form_lists(request: Request) -> dict[str, list[str]]:
    form = request.form or {}
    return {name: [v.strip() for v in form.getlist(name)] for name in form}


def _visitor_turn(ctx: StaffContext, sender_id: str, event_id: int) -> Turn | None:
    found = load_transcript(ctx, sender_id)
    if found is None:
        return None
    return next((t for t in found.turns if t.event_id == event_id and correctable(t)), None)


def make() -> Blueprint:
    bp = Blueprint("staff_corrections", url_prefix=PREFIX)

    @bp.post("/conversation/label")
    @protected()
    async def label_message(request: Request):
        ctx = staff(request)
        sender_id, raw_event = form_value(request, "id"), form_value(request, "event_id")
        if not raw_event.isdigit():
            return response.text("Unknown message.", status=400)
        turn = await blocking(_visitor_turn, ctx, sender_id, int(raw_event))
        if turn is None:
            return response.text("No such visitor message in this conversation.", status=404)
        intent = form_value(request, "intent") or None
        if intent and intent not in vocabulary.domain_intents():
            return response.text(f"Unknown intent {intent!r}.", status=400)
        text = form_value(request, "text")
        if len(text) > TEXT_LIMIT:
            return response.text(f"The text is at most {TEXT_LIMIT} characters.", status=400)
        try:
            facts = vocabulary.from_form(_form_lists(request))
        except ValueError as problem:
            return response.text(str(problem), status=400)
        user = request.ctx.user.name
        before = (await blocking(labels.message_labels_of, ctx.store, sender_id)).get(turn.event_id)
        outcome = await blocking(
            labels.set_message_label, ctx.store, sender_id, turn.event_id, user, intent, facts, text
        )
        await log(
            request,
            "label_message",
            sender_id,
            event_id=turn.event_id,
            outcome=outcome,
            bot_intent=turn.intent,
            intent=intent,
            previous_intent=before.intent if before else None,
            facts=[f.label() for f in facts],
            text_edited=bool(text),
        )
        return see_other(TRANSCRIPT, id=sender_id)

    @bp.post("/conversation/category")
    @protected()
    @known_conversation
    async def label_conversation(request: Request, sender_id: str):
        ctx = staff(request)
        category = form_value(request, "category")
        if category and category not in vocabulary.CATEGORIES:
            return response.text(f"Unknown category {category!r}.", status=400)
        before = await blocking(labels.conversation_label_of, ctx.store, sender_id)
        if category:
            outcome = await blocking(
                labels.set_conversation_label, ctx.store, sender_id, request.ctx.user.name, category
            )
        else:
            removed = await blocking(labels.remove_conversation_label, ctx.store, sender_id)
            outcome = "removed" if removed else "unchanged"
        await log(
            request,
            "label_conversation",
            sender_id,
            outcome=outcome,
            category=category or None,
            previous=before.category if before else None,
        )
        return see_other(TRANSCRIPT, id=sender_id)

    return bp
