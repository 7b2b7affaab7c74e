"""Layout, isolation and accessibility of the widget; screenshots for docs/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.widget import SHADOW, Widget

pytestmark = [pytest.mark.browser, pytest.mark.servers]

CONTRAST = f"""(selectors) => {{
  const root = {SHADOW};
  const parse = (s) => {{
    const p = s.match(/rgba?\\(([^)]+)\\)/)[1].split(',').map(parseFloat);
    return {{ r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }};
  }};
  const lum = (c) => {{
    const f = (v) => {{
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }};
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }};
  const background = (el) => {{
    while (el && el.nodeType === 1) {{
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.a > 0.9) return c;
      el = el.parentElement || el.getRootNode().host;
    }}
    return {{ r: 255, g: 255, b: 255, a: 1 }};
  }};
  const out = {{}};
  for (const sel of selectors) {{
    const el = root.querySelector(sel);
    if (!el || !el.getClientRects().length) {{ out[sel] = null; continue; }}
    const a = lum(parse(getComputedStyle(el).color));
    const b = lum(background(el));
    out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }}
  return out;
}}"""
TEXT_ELEMENTS = [
    ".head h2",
    ".status-text",
    ".messages .msg.bot .bubble",
    ".messages .msg.user .bubble",
    ".meta time",
    ".reply",
    ".composer textarea",
    ".footer",
]


def contrast(page: Page, selectors: list[str]) -> dict[str, float]:
    return page.evaluate(CONTRAST, selectors)


def start_triage(widget: Widget) -> None:
    widget.open_and_wait_for_greeting()
    widget.click_reply("My lower back hurts")
    widget.type("about three weeks")


def test_desktop_layout_and_screenshots(page, widget, stack, screenshots):
    page.goto(stack.web_url)
    page.wait_for_timeout(300)
    expect(page.locator(".teaser")).to_be_visible()
    page.screenshot(path=str(screenshots / "widget-closed-desktop.png"))
    start_triage(widget)
    box = page.locator(".panel").bounding_box()
    assert box["width"] == 380 and box["x"] + box["width"] <= DESKTOP["width"] - 16
    assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]
    expect(widget.launcher).to_be_visible()
    page.screenshot(path=str(screenshots / "widget-desktop.png"))


def test_phone_layout_is_full_screen(new_page, stack, screenshots):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    widget = Widget(page)
    page.goto(stack.web_url)
    start_triage(widget)
    box = page.locator(".panel").bounding_box()
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    expect(widget.launcher).to_be_hidden()
    expect(page.get_by_role("button", name="Close chat")).to_be_visible()
    assert page.evaluate(f"getComputedStyle({SHADOW}.querySelector('textarea')).fontSize") == (
        "16px"
    ), "16px keeps phones from zooming into the message box"
    page.screenshot(path=str(screenshots / "widget-phone.png"))


def assert_fits(page: Page, width: int, height: int) -> None:
    for name in ("Start over", "Close chat", "Send"):
        box = page.get_by_role("button", name=name).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, name
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, name
    for box in [b.bounding_box() for b in page.locator(".reply").all()]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    field = page.get_by_label("Message to BackChat").bounding_box()
    assert field["width"] >= 150 and field["y"] + field["height"] <= height
    overflow = page.evaluate(
        f"() => {{ const p = {SHADOW}.querySelector('.panel');"
        " return p.scrollWidth - p.clientWidth; }"
    )
    assert overflow <= 0, "nothing sticks out sideways"
    log = page.get_by_role("log").bounding_box()
    assert log["height"] >= 80, "room left to read the conversation"


def test_usable_at_320_pixels(new_page, stack):
    page = new_page(viewport={"width": 320, "height": 568})
    widget = Widget(page)
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    assert page.locator(".panel").bounding_box()["width"] == 320
    assert_fits(page, 320, 568)
    widget.click_reply("My lower back hurts")
    assert_fits(page, 320, 568)


def test_usable_at_200_percent_zoom(new_page, stack, screenshots):
    """A 1280x720 window at 200% zoom lays out like 640x360 CSS pixels, twice as dense."""
    page = new_page(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    widget = Widget(page)
    page.goto(stack.web_url)
    widget.open_and_wait_for_greeting()
    widget.click_reply("My lower back hurts")
    assert_fits(page, 640, 360)
    page.screenshot(path=str(screenshots / "widget-zoom-200.png"))


def test_text_contrast_meets_wcag_aa(page, widget, stack):
    page.goto(stack.web_url)
    start_triage(widget)
    ratios = contrast(page, TEXT_ELEMENTS)
    assert all(ratio is not None for ratio in ratios.values()), ratios
    low = {sel: round(ratio, 2) for sel, ratio in ratios.items() if ratio < 4.5}
    assert not low, f"below 4.5:1: {low}"


@pytest.mark.parametrize("colour", ["#ffe14d", "#7fd3ff", "#777777", "#e4002b"])
def test_any_brand_colour_keeps_aa_contrast(page, widget, scripted, colour):
    page.goto(scripted.page_with_widget("brand", color=colour, position="left"))
    widget.open()
    widget.wait_for_bot_messages(more_than=1)
    ratios = contrast(page, [".reply", ".head h2", ".status-text"])
    widget.type("see https://example.org/a")
    assert page.locator(".launcher").bounding_box()["x"] < 100, "data-position=left"
    ratios.update(contrast(page, [".messages .msg.user .bubble", ".bubble a"]))
    low = {sel: round(ratio, 2) for sel, ratio in ratios.items() if ratio is None or ratio < 4.5}
    assert not low, f"{colour}: below 4.5:1: {low}"


def test_page_styles_do_not_reach_the_widget_and_back(page, widget, stack):
    page.goto(stack.web_url)
    heading = "getComputedStyle(document.querySelector('h1')).fontFamily"
    page_font = page.evaluate(heading)
    page.add_style_tag(
        content=(
            "* { color: red !important; text-transform: uppercase !important;"
            " letter-spacing: 4px !important; }"
            " #backchat-widget { font-size: 40px !important; color: red !important;"
            " visibility: hidden !important; }"
            " .launcher, .panel, .bubble { display: none !important; }"
        )
    )
    widget.open_and_wait_for_greeting()
    expect(widget.panel).to_be_visible()
    style = page.evaluate(
        f"""() => {{
            const s = getComputedStyle({SHADOW}.querySelector('.messages .msg.bot .bubble'));
            return [s.color, s.fontSize, s.textTransform, s.letterSpacing, s.visibility];
        }}"""
    )
    assert style == ["rgb(31, 41, 51)", "15px", "none", "normal", "visible"]
    assert page.evaluate(heading) == page_font, "the widget's styles stay inside it"


def test_controls_are_labelled_and_the_conversation_is_announced(page, widget, stack):
    page.goto(stack.web_url)
    launcher = page.get_by_role("button", name="Open chat with BackChat")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    widget.open_and_wait_for_greeting()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    expect(widget.launcher).to_have_attribute("aria-label", "Close chat")
    for name in ("Start over", "Close chat", "Send"):
        expect(page.get_by_role("button", name=name).first).to_be_visible()
    expect(page.get_by_role("textbox", name="Message to BackChat")).to_be_focused()
    expect(widget.log).to_have_attribute("aria-label", "Conversation with BackChat")
    expect(page.get_by_role("status")).to_have_text("Online")
    announcer = page.locator("[aria-live=polite]").last
    expect(announcer).to_contain_text("BackChat: Hi, I'm BackChat")
    unlabeled = page.evaluate(
        f"""() => [...{SHADOW}.querySelectorAll('button, textarea')]
            .filter(el => el.getClientRects().length)
            .filter(el => !(el.getAttribute('aria-label') || el.textContent.trim()
                            || (el.id && {SHADOW}.querySelector(`label[for="${{el.id}}"]`))))
            .map(el => el.outerHTML)"""
    )
    assert unlabeled == []
