"""Feeds shaped like what real platforms emit, each turned into exactly the right interactions."""

from __future__ import annotations

import pytest

from beancan.urls import url_key
from tests.peers.helpers import BLOG, SMILE, collect, make_settings

FOLLOW = "https://tamsin.example/2026/07/follow-the-links-not-the-numbers/"
MEDIUM_POST = (
    "https://medium.com/@priyav/weak-ties-part-2-9d8e7f6a5b4c?source=rss-4f2a9c1e7b3d------2"
)

# platform: (fixture, content type, peer name, expected (source path or URL, target, kind, author))
PLATFORMS = {
    "blogger": ("blogger.xml", "application/atom+xml; charset=UTF-8", "Desk Diaries",
                [("/blogger/2026/03/desk.html", SMILE, "mention", "Wren Adeyemi")]),
    "ghost": ("ghost.xml", "application/rss+xml; charset=utf-8", "Slow Mail",
              [("/ghost/why-keep-a-blog/", BLOG, "mention", "Mara Lindqvist")]),
    "medium": ("medium.xml", "text/xml; charset=UTF-8", "Priya on Medium",
               [(MEDIUM_POST, SMILE, "mention", "Priya Venkataraman")]),
    "substack": ("substack.xml", "application/xml; charset=utf-8", "Jun's Letter",
                 [("/substack/p/smiles-on-the-phone", SMILE, "mention", "Jun Park")]),
    # Hugo's default RSS names no author: the peer's configured name is used.
    "hugo": ("hugo.xml", "application/rss+xml", "Teo's Garden",
             [("/hugo/posts/tin-cans/", BLOG, "mention", "Teo's Garden")]),
    "jekyll": ("jekyll.xml", "application/atom+xml", "Ali's notes",
               [("/jekyll/2026/02/10/hello.html", BLOG, "mention", "Ali Newcombe")]),
    # Mastodon's RSS has no author per item, nor one for the feed.
    "mastodon": ("mastodon.xml", "application/rss+xml; charset=utf-8", "Sam Kowalczyk",
                 [("/@samk/115904", FOLLOW, "mention", "Sam Kowalczyk")]),
    "pelican": ("pelican.xml", "application/atom+xml", "Loose Ties",
                [("/pelican/2026/04/weak-ties-part-2/", BLOG, "mention", "Priya Venkataraman"),
                 ("/pelican/2026/04/weak-ties-part-2/", SMILE, "mention", "Priya Venkataraman")]),
    "jsonfeed": ("jsonfeed.json", "application/feed+json", "Odile écrit",
                 [("/json/2026/05/05/patience/", SMILE, "mention", "Odile M.")]),
    "hfeed": ("hfeed.html", "text/html; charset=utf-8", "Wren's notes",
              [("/hfeed/notes/2026/01/13/keeping/", BLOG, "reply", "Wren Adeyemi")]),
}  # fmt: skip


def _key(server, source: str, target: str, kind: str, author: str):
    url = source if "://" in source else server.url(source)
    return (url_key(url), url_key(target), kind, author, "in")


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_platform_feed_gives_exactly_its_links_to_our_posts(server, tmp_path, platform):
    fixture, content_type, name, expected = PLATFORMS[platform]
    feed = server.serve_fixture(f"/{platform}/feed", fixture, content_type=content_type)
    if platform == "blogger":
        server.serve_fixture(
            "/blogger/feeds/1111111111111111111/comments/default",
            "blogger-comments.xml",
            content_type="application/atom+xml",
        )
    # A Medium author's posts live on medium.com, whatever serves the feed here.
    home = "https://medium.com/@priyav" if platform == "medium" else server.url(f"/{platform}/")
    settings = make_settings(tmp_path, [{"name": name, "url": home, "feed": feed}])

    run = collect(settings)

    assert [r.failed for r in run.reports] == [""]
    found = {
        (url_key(i.source), url_key(i.target), i.kind, i.author.name, i.direction)
        for i in run.store
    }
    assert found == {_key(server, *row) for row in expected}
    assert {i.channels for i in run.store} == {("feed",)}
    # Peers are "known" to moderation: what they write shows at once.
    assert {i.status for i in run.store} == {"approved"}


def test_wordpress_feed_and_comment_feed_give_both_directions(server, tmp_path):
    feed = server.serve_fixture("/wp/feed/", "wordpress.xml")
    server.serve_fixture("/wp/2026/03/17/wall/feed/", "wordpress-comments.xml")
    settings = make_settings(
        tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}]
    )

    run = collect(settings)

    post = server.url("/wp/2026/03/17/wall/")
    assert run.found() == {
        (post, SMILE, "mention", "Rafe Okonkwo", "in"),
        # Our author's comment there: an outbound reply to the peer's post.
        (post + "?replytocom=12", post, "reply", "Tamsin Hale", "out"),
        # Someone else's comment there linking one of our posts (www, no slash).
        (post + "?replytocom=13", "https://tamsin.example/2026/01/why-i-still-keep-a-blog",
         "mention", "Jun Park", "in"),
    }  # fmt: skip
    ours = run.store.get(post + "?replytocom=12", post)
    assert ours.author.url == "https://tamsin.example/"
    assert ours.in_reply_to == (post,)
    assert ours.content_text == "Take the sign down and pin up the rota instead."
    theirs = run.store.get(post + "?replytocom=13", BLOG)
    assert theirs.in_reply_to == (post,)
    # The second post's comment feed is not there (404): a warning, the peer is fine.
    assert [r.failed for r in run.reports] == [""]
    assert "/wp/2026/03/14/links/feed/" in server.paths()


def test_comment_feeds_are_bounded_by_the_setting(server, tmp_path):
    feed = server.serve_fixture("/wp/feed/", "wordpress.xml")
    server.serve_fixture("/wp/2026/03/17/wall/feed/", "wordpress-comments.xml")
    settings = make_settings(
        tmp_path,
        [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}],
        peer_comment_feeds=1,
    )

    collect(settings)

    assert server.paths() == ["/wp/feed/", "/wp/2026/03/17/wall/feed/"]
