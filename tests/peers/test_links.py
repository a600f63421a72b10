"""Our post URLs in their many forms count; other links and plain text do not."""

from __future__ import annotations

from html import escape

import pytest

from beancan.peers.feeds import FeedEntry, entry_interactions
from beancan.urls import SiteURLs, url_key
from tests.peers.helpers import SMILE, collect, make_settings

SITE = SiteURLs("https://tamsin.example", ["https://www.tamsin.example"])


def atom(base: str, *entries: str, xml_base: str = "") -> str:
    """An Atom feed of ``entries`` (each the inside of an <entry>)."""
    body = "".join(f"<entry>{e}</entry>" for e in entries)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xmlns:thr="http://purl.org/syndication/thread/1.0" xml:base="{xml_base or base + "/"}">'
        f"<title>Peer</title><id>{base}/</id><updated>2026-04-01T00:00:00Z</updated>"
        f"<author><name>Feed Author</name><uri>{base}/</uri></author>{body}</feed>"
    )


def linking(n: int, href: str, content_base: str = "") -> str:
    xml_base = f' xml:base="{content_base}"' if content_base else ""
    body = f'<p>See <a href="{href}">this</a>.</p>'
    return (
        f"<id>tag:peer,2026:{n}</id><title>Post {n}</title><link href='/p/{n}/'/>"
        f"<updated>2026-04-0{n}T10:00:00Z</updated>"
        f'<content type="html"{xml_base}>{escape(body)}</content>'
    )


URL_FORMS = {
    "https canonical": ("https://tamsin.example/2026/03/the-smile-is-free/", ""),
    "http": ("http://tamsin.example/2026/03/the-smile-is-free/", ""),
    "no trailing slash": ("https://tamsin.example/2026/03/the-smile-is-free", ""),
    "tracking params": (SMILE + "?utm_source=x&fbclid=1", ""),
    "fragment": ("https://tamsin.example/2026/03/the-smile-is-free/#c-12", ""),
    "www alias": ("https://www.tamsin.example/2026/03/the-smile-is-free/", ""),
    "upper case host, default port": ("HTTPS://Tamsin.Example:443/2026/03/the-smile-is-free/", ""),
    "index.html": ("https://tamsin.example/2026/03/the-smile-is-free/index.html", ""),
    "relative under xml:base": ("the-smile-is-free/", "https://tamsin.example/2026/03/"),
    "root-relative under xml:base": ("/2026/03/the-smile-is-free/", "https://tamsin.example/x/"),
}  # fmt: skip


@pytest.mark.parametrize("form", sorted(URL_FORMS))
def test_every_form_of_our_post_url_is_one_mention_of_that_post(server, tmp_path, form):
    href, content_base = URL_FORMS[form]
    feed = server.serve("/atom", atom(server.base, linking(1, href, content_base)),
                        content_type="application/atom+xml")  # fmt: skip
    settings = make_settings(tmp_path, [{"name": "Peer", "url": server.url("/"), "feed": feed}])

    run = collect(settings)

    assert [(url_key(i.target), i.kind, i.source) for i in run.store] == [
        (url_key(SMILE), "mention", server.url("/p/1/"))
    ]
    assert SITE.identity(next(iter(run.store)).target) == "@site/2026/03/the-smile-is-free"


NOT_COUNTED = {
    "another site, same path": "https://elsewhere.example/2026/03/the-smile-is-free/",
    "our home page": "https://tamsin.example/",
    "our home page with tracking": "http://www.tamsin.example/?utm_source=x",
    "our tag page": "https://tamsin.example/tag/customer-service/",
    "our feed": "https://tamsin.example/feeds/all.atom.xml",
    "our archive of a month": "https://tamsin.example/2026/03/",
    "a look-alike host": "https://tamsin.example.evil.test/2026/03/the-smile-is-free/",
    "mailto": "mailto:tamsin@tamsin.example",
    "javascript": "javascript:location='https://tamsin.example/2026/03/the-smile-is-free/'",
}


@pytest.mark.parametrize("case", sorted(NOT_COUNTED))
def test_links_that_are_not_our_posts_give_nothing(case):
    entry = FeedEntry(
        url="https://peer.example/p/1/",
        content_html=f'<p><a href="{escape(NOT_COUNTED[case])}">x</a></p>',
    )
    assert entry_interactions(entry, SITE) == []


def test_our_domain_as_plain_text_is_not_a_link():
    entry = FeedEntry(
        url="https://peer.example/p/1/",
        content_html="<p>Read tamsin.example/2026/03/the-smile-is-free/ or "
        "https://tamsin.example/2026/03/the-smile-is-free/ when you can.</p>",
    )
    assert entry_interactions(entry, SITE) == []


def test_our_own_post_echoed_in_a_peer_feed_is_not_a_mention():
    entry = FeedEntry(
        url="https://www.tamsin.example/2026/01/why-i-still-keep-a-blog/",
        content_html=f'<p><a href="{SMILE}">earlier</a></p>',
    )
    assert entry_interactions(entry, SITE) == []


def test_several_thr_in_reply_to_are_all_read_not_only_the_last(server, tmp_path):
    # RFC 4685 §3: an entry may reply to several; feedparser keeps only the
    # last one, so the reply to our post (first here) would be lost.
    entry = (
        "<id>tag:peer,2026:1</id><title>Re</title><link href='/p/1/'/>"
        "<updated>2026-04-01T10:00:00Z</updated>"
        f'<thr:in-reply-to ref="{SMILE}" href="{SMILE}"/>'
        '<thr:in-reply-to ref="https://elsewhere.example/b" href="https://elsewhere.example/b"/>'
        '<content type="html">&lt;p&gt;Both of you are right.&lt;/p&gt;</content>'
    )
    feed = server.serve("/atom", atom(server.base, entry), content_type="application/atom+xml")
    settings = make_settings(tmp_path, [{"name": "Peer", "url": server.url("/"), "feed": feed}])

    run = collect(settings)

    (reply,) = list(run.store)
    assert (reply.kind, reply.target) == ("reply", SMILE)
    assert reply.in_reply_to == (SMILE, "https://elsewhere.example/b")
    assert reply.author.name == "Feed Author"


def test_reply_read_from_the_entry_page_when_the_feed_does_not_say(server, tmp_path):
    page = (
        '<!doctype html><html><body><article class="h-entry">'
        '<a class="u-in-reply-to" href="https://tamsin.example/2026/03/the-smile-is-free">re</a>'
        '<div class="e-content">Agreed.</div></article></body></html>'
    )
    server.serve("/p/1/", page, content_type="text/html")
    feed = server.serve("/atom", atom(server.base, linking(1, SMILE)),
                        content_type="application/atom+xml")  # fmt: skip
    peers = [{"name": "Peer", "url": server.url("/"), "feed": feed}]

    run = collect(make_settings(tmp_path, peers, peer_page_checks=5))

    assert [(i.kind, url_key(i.target)) for i in run.store] == [("reply", url_key(SMILE))]
    assert server.paths() == ["/atom", "/p/1/"]


def test_entry_pages_are_not_fetched_by_default(server, tmp_path):
    feed = server.serve("/atom", atom(server.base, linking(1, SMILE)),
                        content_type="application/atom+xml")  # fmt: skip
    peers = [{"name": "Peer", "url": server.url("/"), "feed": feed}]

    run = collect(make_settings(tmp_path, peers))

    assert [(i.kind, url_key(i.target)) for i in run.store] == [("mention", url_key(SMILE))]
    assert server.paths() == ["/atom"]


def test_author_comes_from_entry_else_feed_else_peer():
    from beancan.model import Author
    from beancan.peers.config import Peer
    from beancan.peers.feeds import from_feed_entry, from_json_feed_item

    peer = Peer("Peer Blog", "https://peer.example/")
    link = f'<a href="{SMILE}">x</a>'
    entry = {"link": "https://peer.example/1", "summary": link}
    with_author = {**entry, "author_detail": {"name": "Entry Author", "href": "https://e.example/"}}
    feed_author = {"author_detail": {"name": "Feed Author", "href": "https://f.example/"}}
    item = {"url": "https://peer.example/2", "content_html": link}

    assert from_feed_entry(with_author, feed=feed_author, peer=peer, site=SITE)[0].author == Author(
        "Entry Author", "https://e.example/"
    )
    assert from_feed_entry(entry, feed=feed_author, peer=peer, site=SITE)[0].author == Author(
        "Feed Author", "https://f.example/"
    )
    assert from_feed_entry(entry, feed={}, peer=peer, site=SITE)[0].author == Author(
        "Peer Blog", "https://peer.example/"
    )
    assert from_json_feed_item(item, feed={}, peer=peer, site=SITE)[0].author == Author(
        "Peer Blog", "https://peer.example/"
    )


@pytest.mark.parametrize(
    "anchor",
    [
        "<a href='https://tamsin.example/2026/03/the-smile-is-free/'>single-quoted</a>",
        "<a href=https://tamsin.example/2026/03/the-smile-is-free/>unquoted</a>",
        '<base href="https://tamsin.example/2026/03/"><a href="the-smile-is-free/">base</a>',
    ],
    ids=["single-quoted", "unquoted", "base"],
)
def test_a_peer_entry_links_our_post_however_the_href_is_written(anchor: str) -> None:
    """Feeds read links through beancan.links, like the build and send do."""
    entry = FeedEntry(url="https://peer.example/p/9/", content_html=f"<p>{anchor}</p>")
    [mention] = entry_interactions(entry, SITE)
    assert (mention.kind, mention.target) == ("mention", SMILE)
