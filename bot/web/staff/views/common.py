"""Helpers the staff views share: query arguments, audit entries, catching up, redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sanic import response
from sanic.request import Request

from bot.store import audit, summary
from bot.store.filters import ConversationFilter

from ..context import StaffContext, blocking, staff


def args_of(request: Request) -> dict[str, str]:
    """The first value of each query argument."""
    return {key: values[0] for key, values in request.args.items() if values}


def form_value(request: Request, name: str, default: str = "") -> str:
    return ((request.form or {}).get(name) or default).strip()


def filter_of(request: Request) -> ConversationFilter:
    return ConversationFilter.from_args(args_of(request))


def filter_detail(f: ConversationFilter) -> dict[str, Any]:
    """The filter for the audit log; a search is logged by its length, not its words."""
    detail: dict[str, Any] = dict(f.to_args())
    if "q" in detail:
        detail["q"] = f"<{len(detail['q'])} characters>"
    return detail


def client_address(request: Request) -> str | None:
    return request.remote_addr or request.ip


async def log(
    request: Request,
    action: str,
    target: str | None = None,
    actor: str | None = None,
    **detail,
) -> None:
    user = getattr(request.ctx, "user", None)
    who = actor or (user.name if user else "anonymous")
    await blocking(
        audit.record,
        staff(request).store,
        who,
        action,
        target,
        detail or None,
        client_address(request),
    )


async def catch_up(ctx: StaffContext) -> None:
    """Fold the last few seconds of chats into the read model, unless another request of
    this process is already at it (it does not wait)."""
    await blocking(summary.refresh, ctx.store, max_batches=2, wait=False)


def see_other(path: str, **args: Any):
    """Redirect after a POST (303, so the browser follows with GET)."""
    query = urlencode({k: v for k, v in args.items() if v not in (None, "")})
    return response.redirect(path + (f"?{query}" if query else ""), status=303)
