"""The staff area of the web app: conversations, transcripts, call-backs, overview, admin.

``register_staff(app, settings)`` adds the blueprints under /staff and the listeners
that open the databases, migrate the staff tables and keep the read model fresh.
Every route goes through ``auth.protected`` except the login page and static files.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path

from sanic import Blueprint, Sanic

from bot.runtime.settings import Settings, load_settings
from bot.store import audit, open_store, retention, summary

from .auth import PREFIX
from .config import StaffConfig, load_config
from .context import StaffContext, blocking
from .render import HEADERS, environment
from .views import (
    admin,
    api,
    callbacks,
    conversations,
    corrections,
    exports,
    login,
    overview,
    queue,
)

STATIC = Path(__file__).resolve().parent / "static"
PURGE_EVERY_S = 3600
logger = logging.getLogger(__name__)

__all__ = ["register_staff", "StaffConfig", "load_config"]


async def _keep_fresh(ctx: StaffContext) -> None:
    """Fold new events every few seconds; purge old conversations hourly if configured."""
    since_purge = PURGE_EVERY_S
    while True:
        try:
            await blocking(summary.refresh, ctx.store, 0, False)
            days = ctx.config.retention_days
            if days and since_purge >= PURGE_EVERY_S:
                since_purge = 0
                done = await blocking(retention.purge, ctx.store, days)
                if done.conversations:
                    await blocking(_audit_purge, ctx, days, done.conversations, done.events)
        except Exception:  # keep serving pages; the next round retries
            logger.exception("staff read model refresh failed")
        await asyncio.sleep(ctx.config.refresh_interval_s)
        since_purge += ctx.config.refresh_interval_s


def _audit_purge(ctx: StaffContext, days: float, conversations: int, events: int) -> None:
    detail = {"days": days, "conversations": conversations, "events": events}
    audit.record(ctx.store, "system", "purge", None, detail)


def register_staff(
    app: Sanic,
    settings: Settings | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config: StaffConfig | None = None,
    background: bool = True,
) -> None:
    """Add the staff area to ``app``; databases are opened in before_server_start."""
    config = config or load_config(settings or load_settings(), env)
    group = Blueprint.group(
        login.make(),
        queue.make(),
        conversations.make(),
        corrections.make(),
        callbacks.make(),
        overview.make(),
        exports.make(),
        admin.make(),
        api.make(),
    )
    static = Blueprint("staff_static", url_prefix=PREFIX)
    static.static("/static", str(STATIC), name="files")

    @group.middleware("response")
    async def security_headers(request, response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)

    app.blueprint(group)
    app.blueprint(static)

    @app.before_server_start
    async def open_staff(app: Sanic, _loop) -> None:
        store = open_store(
            config.tracker_url, config.staff_url, low_confidence=config.low_confidence
        )
        applied = await blocking(store.migrate)
        if applied:
            logger.info("staff tables migrated: %s", "; ".join(applied))
        clinic = getattr(app.ctx, "clinic", None)
        app.ctx.staff = StaffContext(
            config=config,
            store=store,
            templates=environment(),
            thresholds=clinic.thresholds if clinic is not None else None,
        )

    @app.after_server_start
    async def start_refresher(app: Sanic, _loop) -> None:
        if background:
            app.ctx.staff.tasks.append(asyncio.ensure_future(_keep_fresh(app.ctx.staff)))

    @app.before_server_stop
    async def close_staff(app: Sanic, _loop) -> None:
        for task in app.ctx.staff.tasks:
            task.cancel()
        app.ctx.staff.store.dispose()
