"""Issue 14 in Chromium: the demo post shared on Mastodon and Bluesky, its thread at home.

/2026/08/replies-from-elsewhere/ holds what ``scripts/social_demo_data.py``
collected from the fake servers: a four-level Mastodon exchange, a
three-level Bluesky one, a blog reply, likes and reposts from both.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_support import visit

pytestmark = pytest.mark.browser

POST = "/2026/08/replies-from-elsewhere/"
MASTODON_CHAIN = [
    ("Sam Kowalczyk", "https://social.example/@samk/109001007"),
    ("Jun Ito", "https://social.example/@jun/109001008"),
    ("Tamsin Hale", "https://social.example/@tamsin/109001009"),
    ("Sam Kowalczyk", "https://social.example/@samk/109001010"),
]
BLUESKY_CHAIN = [
    ("Noor Haddad", "https://bsky.app/profile/noor.example/post/3k000002"),
    ("Tamsin Hale", "https://bsky.app/profile/tamsin.example/post/3k000003"),
    ("Noor Haddad", "https://bsky.app/profile/noor.example/post/3k000004"),
]


def comment_at(scope, permalink: str):
    return scope.locator(f'article.comment:has(> .comment-meta a.u-url[href="{permalink}"])')


@pytest.mark.parametrize("chain", [MASTODON_CHAIN, BLUESKY_CHAIN], ids=["mastodon", "bluesky"])
def test_the_thread_from_each_network_shows_nested(site, context, chain):
    page = visit(context, site.url(POST)).page
    parent = page.locator("section.comments > ol.thread")
    for level, (who, permalink) in enumerate(chain, start=1):
        comment = comment_at(parent, permalink)
        assert comment.count() == 1, f"level {level} ({permalink}) is not under level {level - 1}"
        comment.scroll_into_view_if_needed()
        assert comment.is_visible()
        assert comment.locator("> .comment-meta .comment-author").inner_text() == who
        assert comment.locator("> .comment-content").inner_text().strip()
        parent = comment
    for who, permalink in chain:
        marked = "comment--author" in comment_at(page, permalink).get_attribute("class")
        assert marked is (who == "Tamsin Hale"), f"{permalink}: author mark {marked}"


def test_the_blog_reply_and_the_copies_links_show_too(site, context):
    page = visit(context, site.url(POST)).page
    assert comment_at(page, "https://rafe.example/notes/2026/08/05/elsewhere/").is_visible()
    links = page.locator("p.syndication a.u-syndication")
    assert links.all_inner_texts() == ["Mastodon", "Bluesky"]
    # Jun's toot also came relayed by Bridgy: one comment, not two.
    assert page.locator('a.u-url[href="https://social.example/@jun/109001008"]').count() == 1


def test_no_request_leaves_the_site(site, context):
    found = visit(context, site.url(POST), scroll=True)
    assert found.status == 200
    assert found.requests, "the page made no requests at all"
    outside = [url for url in found.requests if not url.startswith(site.origin)]
    assert outside == []
    assert found.errors == []
    avatars = found.page.locator("section.comments img")
    assert avatars.count() >= 7
    sources = avatars.evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    assert all(src.startswith(("/", site.origin)) for src in sources)
