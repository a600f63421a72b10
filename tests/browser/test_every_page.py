"""What holds on every page type: nothing leaves the site, no errors, works without JS.

DESIGN.md, non-negotiables: no third-party requests from a reader's browser,
and pages work without JavaScript. Screenshots of each page type at phone and
desktop widths go to artifacts/screenshots/ (kept by CI as artifacts).
"""

from __future__ import annotations

import struct

import pytest

from tests.browser.browser_pages import PAGE_TYPES, expected_status, page_path
from tests.browser.browser_support import DESKTOP, PHONE, SCREENSHOTS, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_request_goes_to_any_host_but_the_site(site, context, name):
    # Scrolled through, so every lazy image below the fold is asked for too.
    seen = visit(context, site.url(page_path(site, name)), scroll=True)
    assert seen.status == expected_status(name)
    assert seen.foreign_requests(site.origin) == []
    assert len(seen.requests) >= 2, "the page and at least its stylesheet"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_console_errors(site, context, name):
    seen = visit(context, site.url(page_path(site, name)), scroll=True)
    if name == "not-found":
        # Chromium logs the 404 status of the page itself; that status is the point.
        own = f"status of 404 (Not Found) at {{'url': '{seen.page.url}'"
        seen.errors = [e for e in seen.errors if own not in e]
    assert seen.errors == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_the_same_content_is_there_without_javascript(site, new_context, name):
    url = site.url(page_path(site, name))
    with_js = visit(new_context(), url).page
    without_js = visit(new_context(java_script_enabled=False), url).page
    text = with_js.locator("main").inner_text()
    assert len(text) > 50
    assert without_js.locator("main").inner_text() == text
    links = "els => els.map(a => a.href)"
    assert without_js.locator("main a").evaluate_all(links) == with_js.locator(
        "main a"
    ).evaluate_all(links)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_screenshot_fits_the_width(site, new_context, name, viewport):
    page = visit(new_context(viewport=viewport), site.url(page_path(site, name))).page
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    label = "phone" if viewport is PHONE else "desktop"
    path = SCREENSHOTS / f"{name}-{label}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=path, full_page=True)
    assert path.read_bytes() == data
    width, height = png_size(data)
    assert width == viewport["width"]
    assert height >= viewport["height"]
