"""Log in (rate limited per name and per address), log out, and the staff home."""

from __future__ import annotations

import math

from sanic import Blueprint, response
from sanic.request import Request

from bot.store import accounts, sessions, throttle

from ..auth import (
    LOGIN_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    clear_cookie,
    csrf_ok,
    current_user,
    protected,
    public,
    same_origin,
    set_cookie,
    sign,
)
from ..context import blocking, staff
from ..render import render
from .common import client_address, form_value, log, see_other

HOME = f"{PREFIX}/queue"  # the review queue is where staff start
LOGIN_COOKIE_AGE_S = 3600


def safe_next(target: str) -> str:
    """Only a path inside the staff area: never another site."""
    if target.startswith(f"{PREFIX}/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def _login_page(request: Request, status: int = 200, error: str = "", headers=None):
    nxt = safe_next(request.args.get("next") or form_value(request, "next"))
    resp = render(request, "login.html", code=status, error=error, next=nxt)
    nonce = getattr(request.ctx, "login_nonce", None)
    if nonce:
        set_cookie(resp, request, LOGIN_COOKIE, nonce, LOGIN_COOKIE_AGE_S)
    resp.headers.update(headers or {})
    return resp


def make() -> Blueprint:
    bp = Blueprint("staff_login", url_prefix=PREFIX)

    @bp.get("/login")
    @public
    async def login_form(request: Request):
        if await current_user(request):
            return response.redirect(safe_next(request.args.get("next") or ""))
        return _login_page(request)

    @bp.post("/login")
    @public
    async def login(request: Request):
        ctx = staff(request)
        if not (same_origin(request) and csrf_ok(request)):
            return _login_page(request, 403, "The form expired; please try again.")
        name, password = form_value(request, "name"), (request.form or {}).get("password") or ""
        address = client_address(request)
        tried = await blocking(throttle.attempt, ctx.store, name, address, ctx.config.limits)
        if tried.wait:
            if tried.first_refusal:  # one audit row per blocked name or address and window
                await log(request, "login_blocked", actor=name[:64] or "?")
            minutes = math.ceil(tried.wait / 60)
            message = f"Too many failed attempts. Try again in {minutes} minute(s)."
            headers = {"Retry-After": str(math.ceil(tried.wait))}
            return _login_page(request, 429, message, headers)
        user = await blocking(accounts.authenticate, ctx.store, name, password)
        if user is None:  # the attempt is already counted as a failure
            await log(request, "login_failed", actor=name[:64] or "?")
            return _login_page(request, 401, "Wrong name or password.")
        await blocking(throttle.succeeded, ctx.store, name, tried.recorded)
        lifetime = ctx.config.session_hours * 3600
        token, _ = await blocking(sessions.create, ctx.store, user, lifetime)
        request.ctx.user = user
        await log(request, "login")
        resp = see_other(safe_next(form_value(request, "next")))
        set_cookie(resp, request, SESSION_COOKIE, sign(ctx.config.secret, token), int(lifetime))
        clear_cookie(resp, request, LOGIN_COOKIE)
        return resp

    @bp.post("/logout")
    @protected()
    async def logout(request: Request):
        await blocking(sessions.end, staff(request).store, request.ctx.session_token)
        await log(request, "logout")
        resp = see_other(f"{PREFIX}/login")
        clear_cookie(resp, request, SESSION_COOKIE)
        return resp

    @bp.get("/")
    @protected()
    async def home(request: Request):
        return response.redirect(HOME)

    return bp
