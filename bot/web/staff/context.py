"""What the staff blueprints share, kept on ``app.ctx.staff`` from before_server_start."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from jinja2 import Environment
from sanic.request import Request

from bot.store import Store
from bot.triage import Thresholds

from .config import StaffConfig

T = TypeVar("T")


@dataclass
class StaffContext:
    config: StaffConfig
    store: Store
    templates: Environment
    thresholds: Thresholds | None = None
    tasks: list[asyncio.Task] = field(default_factory=list)


def staff(request: Request) -> StaffContext:
    return request.app.ctx.staff


async def blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a database call in a worker thread so the event loop keeps serving."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))
