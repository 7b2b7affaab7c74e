"""Jinja rendering for the staff pages (autoescape on: visitors' words are shown as text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sanic import response
from sanic.request import Request

from .auth import csrf_token
from .context import staff

TEMPLATES = Path(__file__).resolve().parent / "templates"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _url(path: str, args: dict[str, Any] | None = None, **more: Any) -> str:
    merged = {k: v for k, v in {**(args or {}), **more}.items() if v not in (None, "")}
    return path + ("?" + urlencode(merged) if merged else "")


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["url"] = _url
    env.filters["percent"] = _percent
    return env


def render(request: Request, name: str, code: int = 200, **context: Any):
    ctx = staff(request)
    tz = ctx.config.timezone

    def when(ts: float | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return "" if ts is None else datetime.fromtimestamp(float(ts), tz).strftime(fmt)

    html = ctx.templates.get_template(name).render(
        user=getattr(request.ctx, "user", None),
        csrf=Markup(f'<input type="hidden" name="csrf_token" value="{csrf_token(request)}">'),
        csrf_value=csrf_token(request),
        when=when,
        timezone=str(tz),
        path=request.path,
        **context,
    )
    return response.html(html, status=code)
