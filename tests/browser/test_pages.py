"""The home page, the archives, the about page and the 404 page, as a reader uses them.

Expected titles and dates come from content/, so the tests follow the demo.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.browser_support import ROOT, visit

pytestmark = pytest.mark.browser

SITENAME = "Tin Can Telephone"
PER_PAGE = 5  # DEFAULT_PAGINATION in pelicanconf.py


def front_matter(path) -> dict[str, str]:
    fields = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def articles_newest_first() -> list[str]:
    """Titles of every post and note in content/, newest first."""
    found = [front_matter(p) for folder in ("posts", "notes")
             for p in sorted((ROOT / "content" / folder).glob("*.md"))]  # fmt: skip
    return [f["title"] for f in sorted(found, key=lambda f: f["date"], reverse=True)]


def test_home_lists_the_newest_posts_and_the_author(site, context):
    page = visit(context, site.url("/")).page
    expect(page).to_have_title(SITENAME)
    titles = page.locator("main .h-feed .h-entry > h2 .p-name").all_inner_texts()
    assert titles == articles_newest_first()[:PER_PAGE]
    expect(page.locator("main .h-card.profile .p-name")).to_have_text("Tamsin Hale")
    expect(page.locator('.site-nav a[aria-current="page"]')).to_have_text("Home")


def test_home_pages_on_to_older_posts(site, context):
    page = visit(context, site.url("/")).page
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Older").click()
    assert navigation.value.status == 200
    assert page.url == site.url("/page/2/")
    titles = page.locator("main .h-feed .h-entry > h2 .p-name").all_inner_texts()
    assert titles == articles_newest_first()[PER_PAGE : 2 * PER_PAGE]


def test_archives_list_every_post_and_note_and_link_to_them(site, context):
    page = visit(context, site.url("/archives/")).page
    expect(page).to_have_title(f"Archives — {SITENAME}")
    entries = page.locator("main .archive-list .h-entry")
    assert entries.locator(".p-name").all_inner_texts() == articles_newest_first()
    assert entries.locator("time.dt-published").count() == entries.count()
    last = entries.last.locator("a.u-url")
    with page.expect_navigation() as navigation:
        last.click()
    assert navigation.value.status == 200
    expect(page.locator("main h1.p-name")).to_have_text(articles_newest_first()[-1])


def test_about_page(site, context):
    seen = visit(context, site.url("/about/"))
    assert seen.status == 200
    page = seen.page
    expect(page).to_have_title(f"About — {SITENAME}")
    expect(page.locator("main h1")).to_have_text("About")
    expect(page.locator('.site-nav a[aria-current="page"]')).to_have_text("About")
    expect(page.locator("main")).to_contain_text("Replying from your own site")


def test_a_missing_address_gets_status_404_and_the_sites_own_404_page(site, context):
    seen = visit(context, site.url("/2026/13/no-such-post/"))
    assert seen.status == 404
    page = seen.page
    expect(page).to_have_title(f"Page not found — {SITENAME}")
    expect(page.locator("main h1")).to_have_text("Page not found")
    expect(page.locator(".site-header .brand a")).to_have_text(SITENAME)
    # Served at any depth, its links must still work: they are absolute.
    with page.expect_navigation() as navigation:
        page.locator("main").get_by_role("link", name=re.compile("^archives$")).first.click()
    assert navigation.value.status == 200
    assert page.url == site.url("/archives/")
