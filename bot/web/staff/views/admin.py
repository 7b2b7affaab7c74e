"""Admin pages: accounts, retention (purge, forget a visitor) and the audit log."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request

from bot.store import accounts, audit, retention, summary
from bot.store.schema import ROLES

from ..auth import PREFIX, protected
from ..context import blocking, staff
from ..render import render
from .common import form_value, log, see_other

ADMIN = f"{PREFIX}/admin"


def make() -> Blueprint:
    bp = Blueprint("staff_admin", url_prefix=PREFIX)

    @bp.get("/admin")
    @protected("admin")
    async def admin_page(request: Request):
        ctx = staff(request)
        users = await blocking(accounts.list_users, ctx.store)
        await log(request, "view_admin")
        return render(
            request,
            "admin.html",
            users=users,
            roles=ROLES,
            retention_days=ctx.config.retention_days,
            message=request.args.get("message") or "",
        )

    @bp.post("/admin/users")
    @protected("admin")
    async def add_user(request: Request):
        name, role = form_value(request, "name"), form_value(request, "role", "staff")
        password = (request.form or {}).get("password") or ""
        try:
            user = await blocking(accounts.add_user, staff(request).store, name, password, role)
        except accounts.AccountError as problem:
            return see_other(ADMIN, message=str(problem))
        await log(request, "account_add", user.name, role=user.role)
        return see_other(ADMIN, message=f"Account {user.name} ({user.role}) added.")

    @bp.post("/admin/users/remove")
    @protected("admin")
    async def remove_user(request: Request):
        ctx = staff(request)
        name = form_value(request, "name")
        users = {u["name"]: u for u in await blocking(accounts.list_users, ctx.store)}
        if name not in users:
            return see_other(ADMIN, message=f"There is no account named {name}.")
        if users[name]["role"] == "admin" and await blocking(accounts.admin_count, ctx.store) < 2:
            return see_other(ADMIN, message="The last admin account cannot be removed.")
        await blocking(accounts.remove_user, ctx.store, name)
        await log(request, "account_remove", name)
        return see_other(ADMIN, message=f"Account {name} removed.")

    @bp.post("/admin/purge")
    @protected("admin")
    async def purge(request: Request):
        ctx = staff(request)
        raw = form_value(request, "days")
        if not raw.isdigit() or int(raw) < 1:
            return see_other(ADMIN, message="Give the number of days to keep (1 or more).")
        await blocking(summary.refresh, ctx.store)
        done = await blocking(retention.purge, ctx.store, int(raw))
        await log(
            request, "purge", days=int(raw), conversations=done.conversations, events=done.events
        )
        return see_other(
            ADMIN, message=f"Deleted {done.conversations} conversation(s) older than {raw} days."
        )

    @bp.post("/admin/forget")
    @protected("admin")
    async def forget(request: Request):
        sender_id = form_value(request, "id")
        if not sender_id or sender_id != form_value(request, "confirm"):
            return see_other(ADMIN, message="Type the visitor's id twice to delete it.")
        done = await blocking(retention.forget, staff(request).store, sender_id)
        # The audit log names the visitor by the pseudonym that replaced their id.
        await log(request, "forget", done.pseudonyms.get(sender_id), events=done.events)
        return see_other(ADMIN, message=f"Deleted everything about {sender_id}.")

    @bp.get("/admin/audit")
    @protected("admin")
    async def audit_page(request: Request):
        actor = request.args.get("actor") or None
        action = request.args.get("action") or None
        rows = await blocking(audit.recent, staff(request).store, 500, actor, action)
        await log(request, "view_audit")
        return render(request, "audit.html", rows=rows, actor=actor or "", action=action or "")

    return bp
