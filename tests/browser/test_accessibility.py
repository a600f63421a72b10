"""axe-core in Chromium on every page type, light and dark; keyboard focus is visible.

Issue 8: zero serious or critical axe violations. axe-core comes from npm
(node_modules/axe-core, installed by scripts/setup --test) and is injected
into the page, so the site itself never ships it.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_pages import PAGE_TYPES, page_path
from tests.browser.browser_support import describe_violations, run_axe, visit

pytestmark = pytest.mark.browser

#: Tab stops checked from the top of each page: the skip link, the brand, the menu.
TAB_STOPS = 5

_FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || '').trim(),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none'};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_or_critical_axe_violations(site, context, name, scheme):
    page = visit(context, site.url(page_path(site, name))).page
    page.emulate_media(color_scheme=scheme)
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    violations = run_axe(page)
    assert violations == [], f"{name} ({scheme}):\n{describe_violations(violations)}"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_keyboard_focus_is_visible(site, context, name):
    page = visit(context, site.url(page_path(site, name))).page
    for stop in range(1, TAB_STOPS + 1):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert focused.count() == 1, f"Tab {stop} focused nothing"
        style = focused.evaluate(_FOCUS_STYLE)
        assert style["outline"] or style["shadow"], f"Tab {stop}: no visible focus on {style}"
        box = focused.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        assert box["y"] >= 0, f"Tab {stop}: {style['text']!r} is focused off screen"
        if stop == 1:
            assert style["tag"] == "A" and style["text"] == "Skip to content"
