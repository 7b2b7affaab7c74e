"""Server-rendered SVG charts (no JavaScript, no CDN). Labels are escaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 720
BAR_COLOUR = "#2f6f8f"
ALERT_COLOUR = "#b3261e"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float(-(-value // magnitude) * magnitude)


def columns(
    points: Sequence[tuple[str, float | None]],
    title: str,
    height: int = 200,
    fmt: str = "{:g}",
    top: float | None = None,
) -> Markup:
    """Vertical bars over time (labels shown every few bars); a title per bar.

    A None value draws no bar (its title says "no data"); ``top`` fixes the scale.
    """
    n = max(1, len(points))
    top = top or _nice_max(max((v for _, v in points if v is not None), default=0))
    left, inner_h = 44, height - 40
    slot = (WIDTH - left - 8) / n
    bar = max(1.0, slot * 0.8)
    every = max(1, -(-n // 12))
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{12 + inner_h}" x2="{WIDTH - 8}" y2="{12 + inner_h}" '
        'stroke="#888"/>',
        f'<text x="{left - 6}" y="16" text-anchor="end" class="axis">{fmt.format(top)}</text>',
        f'<text x="{left - 6}" y="{12 + inner_h}" text-anchor="end" class="axis">0</text>',
    ]
    for i, (label, value) in enumerate(points):
        h = inner_h * (value / top) if top and value is not None else 0
        x = left + i * slot + (slot - bar) / 2
        y = 12 + inner_h - h
        shown = "no data" if value is None else fmt.format(value)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {escape(shown)}'
            "</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                f'class="axis">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(
    items: list[tuple[str, float]], title: str, alert: Sequence[str] = (), width: int = 480
) -> Markup:
    """Horizontal bars for categories, largest first as given."""
    row_h, left = 26, 150
    height = max(1, len(items)) * row_h + 10
    top = _nice_max(max((v for _, v in items), default=0))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if not items:
        parts.append('<text x="10" y="20" class="axis">No data in this period.</text>')
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        w = (width - left - 50) * (value / top)
        colour = ALERT_COLOUR if label in alert else BAR_COLOUR
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="label">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
            f"<title>{escape(label)}: {value:g}</title></rect>"
            f'<text x="{left + w + 6:.1f}" y="{y + 17}" class="value">{value:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
