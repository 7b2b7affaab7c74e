"""Sessions, CSRF and the ``protected`` decorator every staff route goes through.

The session cookie holds a random token signed with the staff secret (itsdangerous's
``Signer``, HMAC-SHA256, salt ``backchat.staff-session``; HttpOnly, SameSite=Lax, Secure
over HTTPS, path /staff); the database keeps its hash (see bot.store.sessions). The CSRF
token is the signature of the session token under its own salt, sent in each form's
``csrf_token`` field or an ``X-CSRF-Token`` header; before login, of a nonce kept in a
short-lived cookie. Each purpose has its own salt, so one token never passes for another.
Without a session, pages redirect to the login page and everything else answers 401.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import wraps
from urllib.parse import quote, urlsplit

from itsdangerous import Signer
from sanic import response
from sanic.request import Request

from bot.store import sessions
from bot.store.accounts import User

from .context import blocking, staff

PREFIX = "/staff"
SESSION_COOKIE = "backchat_staff"
LOGIN_COOKIE = "backchat_staff_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PATH = f"{PREFIX}/login"


SALT_PREFIX = "backchat.staff-"


def _mac(secret: bytes, purpose: str, value: str) -> str:
    """The signature of ``value`` for one purpose (its own salt)."""
    signer = Signer(secret, salt=SALT_PREFIX + purpose, digest_method=hashlib.sha256)
    return signer.get_signature(value.encode("utf-8", "surrogatepass")).decode("ascii")


def same(given: str, expected: str) -> bool:
    """Constant-time equality of two strings of any characters.

    ``hmac.compare_digest`` raises on a str with non-ASCII characters; a header, form
    field or cookie can hold any, so both are compared as UTF-8 bytes.
    """
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def sign(secret: bytes, token: str) -> str:
    """``<token>.<signature>`` for the session cookie."""
    return f"{token}.{_mac(secret, 'session', token)}"


def unsign(secret: bytes, value: str) -> str | None:
    """The token of a cookie signed by ``sign``, else None (compared as a whole, so only
    the one spelling of a signature verifies)."""
    token, _, _ = (value or "").rpartition(".")
    if token and same(value, sign(secret, token)):
        return token
    return None


def session_token(request: Request) -> str | None:
    return unsign(staff(request).config.secret, request.cookies.get(SESSION_COOKIE, ""))


def csrf_token(request: Request) -> str:
    """The token forms on this page must send back."""
    secret = staff(request).config.secret
    token = getattr(request.ctx, "session_token", None)
    if token:
        return _mac(secret, "csrf", token)
    nonce = getattr(request.ctx, "login_nonce", None) or request.cookies.get(LOGIN_COOKIE)
    if not nonce:
        nonce = request.ctx.login_nonce = secrets.token_urlsafe(24)
    return _mac(secret, "login-csrf", nonce)


def csrf_ok(request: Request) -> bool:
    sent = request.headers.get(CSRF_HEADER) or (request.form or {}).get(CSRF_FIELD) or ""
    return bool(sent) and same(sent, csrf_token(request))


def same_origin(request: Request) -> bool:
    """A browser's Origin header, when sent, must be this server."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def secure(request: Request) -> bool:
    return staff(request).config.force_secure_cookie or request.scheme == "https"


def set_cookie(resp, request: Request, name: str, value: str, max_age: int) -> None:
    resp.cookies[name] = value
    cookie = resp.cookies[name]
    cookie["path"] = PREFIX
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["max-age"] = max_age
    if secure(request):
        cookie["secure"] = True


def clear_cookie(resp, request: Request, name: str) -> None:
    set_cookie(resp, request, name, "", 0)


async def current_user(request: Request) -> User | None:
    token = session_token(request)
    if not token:
        return None
    user = await blocking(sessions.user_of, staff(request).store, token)
    if user:
        request.ctx.session_token = token
    return user


def wants_html(request: Request) -> bool:
    return request.method in SAFE_METHODS and not request.path.startswith(f"{PREFIX}/api/")


def unauthenticated(request: Request):
    if wants_html(request):
        target = request.path + (f"?{request.query_string}" if request.query_string else "")
        return response.redirect(f"{LOGIN_PATH}?next={quote(target, safe='')}")
    return response.json({"error": "login required"}, status=401)


def protected(role: str = "staff"):
    """Require a live session (and the admin role for ``role="admin"``) and, for
    anything but GET/HEAD/OPTIONS, a valid CSRF token and a same-origin request."""

    def decorator(handler):
        @wraps(handler)
        async def wrapper(request: Request, *args, **kwargs):
            user = await current_user(request)
            if user is None:
                return unauthenticated(request)
            if role == "admin" and not user.is_admin:
                return response.text("Admins only.", status=403)
            if request.method not in SAFE_METHODS and not (
                same_origin(request) and csrf_ok(request)
            ):
                return response.text("Missing or wrong CSRF token; reload the page.", status=403)
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        wrapper.staff_role = role
        return wrapper

    return decorator


def public(handler):
    """Mark a staff route that needs no session (login page, static files)."""
    handler.staff_role = None
    return handler
