"""Exports for admins: the filtered list (CSV or JSON, streamed) and one conversation."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from datetime import datetime

from sanic import Blueprint, response
from sanic.request import Request

from bot.store import conversations, export

from ..auth import PREFIX, protected
from ..context import blocking, staff
from .common import catch_up, filter_detail, filter_of, log
from .conversations import load_transcript

TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
_END = object()


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


async def _stream(request: Request, chunks: Iterator[str], kind: str, name: str):
    """Send chunks produced in a worker thread (the query runs off the event loop).

    If the client goes away, the producer is told to stop, so no thread or database
    connection is left waiting.
    """
    pipe: queue.Queue = queue.Queue(maxsize=64)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        pipe.put(chunk, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        finally:
            if not stop.is_set():
                pipe.put(_END)

    threading.Thread(target=produce, daemon=True).start()
    loop = asyncio.get_running_loop()
    try:
        resp = await request.respond(content_type=TYPES[kind], headers=_attachment(name))
        while True:
            chunk = await loop.run_in_executor(None, pipe.get)
            if chunk is _END:
                break
            await resp.send(chunk)
        await resp.eof()
    finally:
        stop.set()


def make() -> Blueprint:
    bp = Blueprint("staff_exports", url_prefix=PREFIX)

    def list_export(kind: str):
        @protected("admin")
        async def handler(request: Request):
            ctx = staff(request)
            f = filter_of(request)
            await catch_up(ctx)
            rows = conversations.iter_filtered(ctx.store, f, ctx.config.timezone)
            chunks = export.list_csv(rows) if kind == "csv" else export.list_json(rows)
            total = await blocking(conversations.count, ctx.store, f, ctx.config.timezone)
            await log(request, "export_list", format=kind, rows=total, **filter_detail(f))
            stamp = datetime.now(ctx.config.timezone).strftime("%Y%m%d-%H%M")
            await _stream(request, chunks, kind, f"conversations-{stamp}.{kind}")

        handler.__name__ = f"export_list_{kind}"
        return handler

    def conversation_export(kind: str):
        @protected("admin")
        async def handler(request: Request):
            sender_id = (request.args.get("id") or "").strip()
            found = await blocking(load_transcript, staff(request), sender_id)
            if found is None:
                return response.text("No such conversation.", status=404)
            await log(request, "export_conversation", sender_id, format=kind)
            body = export.transcript_csv(found) if kind == "csv" else export.transcript_json(found)
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in sender_id)[:60]
            return response.text(
                body, content_type=TYPES[kind], headers=_attachment(f"conversation-{safe}.{kind}")
            )

        handler.__name__ = f"export_conversation_{kind}"
        return handler

    for kind in TYPES:
        bp.add_route(list_export(kind), f"/export.{kind}", methods=["GET"])
        bp.add_route(conversation_export(kind), f"/conversation/export.{kind}", methods=["GET"])
    return bp
