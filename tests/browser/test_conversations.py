"""The conversations page and the person pages, in Chromium.

Issue 6: the graph is inline SVG, every node a link to that person's page,
and the relationships table is its text alternative, so the two must agree.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.browser_pages import page_path, person_nodes
from tests.browser.browser_support import PHONE, visit

pytestmark = pytest.mark.browser

GRAPH = "main figure svg"
ROWS = "#relationships table tbody tr"


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
def test_the_graph_is_drawn(site, new_context, viewport):
    options = {"viewport": viewport} if viewport else {}
    page = visit(new_context(**options), site.url(page_path(site, "conversations"))).page
    graph = page.locator(GRAPH).first
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    nodes = graph.locator("a")
    assert nodes.count() == len(person_nodes(site)) + 1  # + our author in the centre
    for index in range(nodes.count()):
        node = nodes.nth(index).bounding_box()
        assert node is not None and node["width"] > 0 and node["height"] > 0, f"node {index}"
        # Drawn inside the picture, not clipped off its edge.
        for start, size in (("x", "width"), ("y", "height")):
            assert box[start] - 1 <= node[start], f"node {index} clipped"
            assert node[start] + node[size] <= box[start] + box[size] + 1, f"node {index} clipped"


def test_a_node_leads_to_that_persons_page(site, context):
    path, name = person_nodes(site)[0]
    page = visit(context, site.url(page_path(site, "conversations"))).page
    node = page.locator(f'{GRAPH} a[href="{site.url(path)}"]')
    with page.expect_navigation():
        node.locator("circle, text").first.click()
    assert page.url == site.url(path)
    card = page.locator("main .h-card").first
    expect(card.locator(".p-name").first).to_have_text(name)
    assert card.locator(".u-url").first.get_attribute("href").startswith("http")


def test_every_person_page_of_the_graph_exists(site, context):
    for path, name in person_nodes(site):
        seen = visit(context, site.url(path))
        assert seen.status == 200, path
        expect(seen.page.locator("main .h-card .p-name").first).to_have_text(name)
        seen.page.close()


def test_the_table_matches_the_drawing(site, context):
    page = visit(context, site.url(page_path(site, "conversations"))).page
    drawn = {name for _, name in person_nodes(site)}
    rows = page.locator(ROWS)
    names = [rows.nth(i).locator("th a, td a").first.inner_text() for i in range(rows.count())]
    assert len(names) == len(set(names)), "one row per person"
    assert drawn <= set(names)
    # Everyone in the demo is drawn (fewer people than BEANCAN_CONVERSATIONS_TOP).
    assert set(names) == drawn
    # A row and its node link to the same person page.
    for i in range(rows.count()):
        href = rows.nth(i).locator("th a, td a").first.get_attribute("href")
        assert page.locator(f'{GRAPH} a[href="{href}"]').count() == 1, names[i]


def test_the_graph_has_a_text_alternative(site, context):
    page = visit(context, site.url(page_path(site, "conversations"))).page
    graph = page.locator(GRAPH).first
    expect(graph).to_have_accessible_name(re.compile(r"\w{3}"))
    labelled = graph.get_attribute("aria-labelledby") or ""
    has_title = graph.locator("> title").count() == 1
    assert has_title or labelled, "a <title> or aria-labelledby names the graph"
