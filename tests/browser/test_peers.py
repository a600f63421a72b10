"""The peers page (issue 5): every configured peer, with avatar, name, posts and a link home."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from beancan.settings import load_settings_file
from tests.browser.browser_pages import page_path
from tests.browser.browser_support import ROOT, visit

pytestmark = pytest.mark.browser


def configured_peers() -> list[dict]:
    return list(load_settings_file(ROOT / "pelicanconf.py").get("BEANCAN_PEERS", []))


def test_every_configured_peer_is_shown_with_avatar_name_and_posts(site, context):
    page = visit(context, site.url(page_path(site, "peers")), scroll=True).page
    peers = configured_peers()
    assert peers, "pelicanconf.py names the demo's peers"
    assert page.locator("main li.h-card, main article.h-card").count() == len(peers)
    for peer in peers:
        card = page.locator(f'main .h-card:has(.p-name.u-url[href="{peer["url"]}"])')
        expect(card).to_have_count(1)
        expect(card.locator(".p-name.u-url").first).to_have_text(peer["name"])
        photo = card.locator("img.u-photo").first
        expect(photo).to_be_visible()
        assert photo.evaluate("i => i.complete && i.naturalWidth > 0"), peer["url"]
        assert photo.get_attribute("src").startswith(site.origin + "/")
        assert card.locator(".h-cite").count() <= 3, "at most their latest three posts"


def test_a_peer_links_to_their_person_page(site, context):
    peer = configured_peers()[0]
    page = visit(context, site.url(page_path(site, "peers"))).page
    card = page.locator(f'main .h-card:has(.p-name.u-url[href="{peer["url"]}"])')
    own = card.locator(f'a[href^="{site.origin}/"]').first
    href = own.get_attribute("href")
    with page.expect_navigation() as navigation:
        own.click()
    assert navigation.value.status == 200
    assert page.url == href
    expect(page.locator("main .h-card .u-url").first).to_have_attribute("href", peer["url"])
