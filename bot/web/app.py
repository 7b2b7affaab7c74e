"""Sanic app factory: the demo page, the widget's assets, the health check and the staff area."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request

from bot.clinic import Clinic, load_clinic
from bot.runtime.settings import load_settings
from bot.web.staff import register_staff

HERE = Path(__file__).resolve().parent
PAGE_TEXT = HERE / "content" / "clinic-page.txt"


def page_sections(text: str) -> list[dict]:
    """Split the clinic page's text into headed sections of paragraphs."""
    sections: list[dict] = [{"heading": None, "paragraphs": []}]
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        looks_like_heading = len(line) < 70 and not line.endswith((".", "!", "?"))
        if looks_like_heading:
            sections.append({"heading": line, "paragraphs": []})
        else:
            sections[-1]["paragraphs"].append(line)
    return [s for s in sections if s["heading"] or s["paragraphs"]]


def create_app(
    clinic: Clinic, name: str = "backchat_web", rasa_url: str | None = None, staff: bool = True
) -> Sanic:
    """A fresh app; state lives on app.ctx. ``rasa_url`` is where the widget connects."""
    app = Sanic(name)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    app.ctx.clinic = clinic
    app.ctx.sections = page_sections(PAGE_TEXT.read_text(encoding="utf-8"))
    app.ctx.rasa_url = (rasa_url or load_settings().rasa_url).rstrip("/")
    app.static("/static", str(HERE / "static"), name="static")

    @app.get("/")
    async def demo_page(request: Request):
        html = templates.get_template("demo.html").render(
            clinic=app.ctx.clinic,
            sections=app.ctx.sections,
            web_url=f"{request.scheme}://{request.host}",
            rasa_url=app.ctx.rasa_url,
        )
        return response.html(html)

    @app.get("/healthz")
    async def health(request: Request):
        return response.json({"status": "ok"})

    if staff:
        register_staff(app, load_settings())
    return app


def build_app() -> Sanic:
    """The app with the repository's clinic.yml."""
    return create_app(load_clinic())
