"""Issue 12, finding 6: peer feeds as real platforms serve them."""

from __future__ import annotations

from html import escape

import pytest

from beancan.model import Author
from beancan.peers.config import load_peers
from beancan.peers.parse import feedparser_feed, parse_document
from beancan.settings import BeancanSettings
from beancan.urls import SiteURLs
from tests.peers.helpers import collect, make_settings

SITE = "https://tamsin.example"
SMILE = f"{SITE}/2026/03/the-smile-is-free/"
BLOG = f"{SITE}/2026/01/why-i-still-keep-a-blog/"


def atom(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:thr="http://purl.org/syndication/thread/1.0"><title>Peer</title>'
        "<id>tag:peer</id><updated>2026-04-01T10:00:00Z</updated>" + "".join(entries) + "</feed>"
    )


def entry(link: str, content: str = "", *replies: str) -> str:
    thr = "".join(f'<thr:in-reply-to ref="{r}" href="{r}"/>' for r in replies)
    return (
        f'<entry><title>On {escape(link)}</title><link rel="alternate" href="{link}"/>'
        f"<id>{link}</id><updated>2026-04-01T10:00:00Z</updated>{thr}"
        f'<content type="html">{escape(content)}</content></entry>'
    )


def test_finding_6a_a_peer_listed_twice_with_two_feeds_is_read_from_both(server, tmp_path):
    posts_feed = atom(entry(server.url("/blog/p1/"), f'<a href="{SMILE}">x</a>'))
    posts = server.serve("/blog/feed/", posts_feed, content_type="application/atom+xml")
    comments = server.serve("/blog/comments/feed/", atom(
        entry(server.url("/blog/p1/#comment-3"), f'<a href="{BLOG}">y</a>')),
        content_type="application/atom+xml")  # fmt: skip
    home = server.url("/blog/")
    twice = [
        {"name": "B", "url": home, "feed": posts},
        {"name": "B", "url": home, "feed": comments},
    ]
    listed = [{"name": "B", "url": home, "feeds": [posts, comments]}]
    for number, peers in enumerate((twice, listed)):
        settings = make_settings(tmp_path / str(number), peers)
        [peer] = load_peers(settings)
        assert peer.feeds == (posts, comments)
        run = collect(settings)
        assert [r.failed for r in run.reports] == [""]
        assert {(i.source, i.target) for i in run.store} == {
            (server.url("/blog/p1/"), SMILE),
            (server.url("/blog/p1/"), BLOG),
        }


def test_a_peer_listed_twice_without_feeds_is_one_peer_that_discovers(tmp_path):
    entries = [{"name": "A", "url": "https://a.example/"}, {"url": "https://A.example"}]
    [peer] = load_peers(make_settings(tmp_path, entries))
    assert (peer.name, peer.feeds) == ("A", ())


def test_finding_6b_bare_and_www_forms_of_our_site_are_ours_by_default():
    for siteurl, other in (("https://site.example", "https://www.site.example/a/"),
                           ("https://www.site.example", "https://site.example/a/")):  # fmt: skip
        site = SiteURLs(siteurl)
        assert site.is_ours(other) and site.path_key(other) == "/a"
    aliased = SiteURLs("http://127.0.0.1:8000", ["https://tamsin.example"])
    assert aliased.is_ours("https://www.tamsin.example/x/")
    assert not SiteURLs("https://site.example").is_ours("https://www2.site.example/")
    # One place: the settings' SiteURLs is what collect and the build use.
    settings = BeancanSettings.of(siteurl="https://site.example")
    assert settings.site.hosts == {"site.example", "www.site.example"}


def test_finding_6b_a_www_link_from_a_peer_is_a_mention_of_our_post(server, tmp_path):
    www = SMILE.replace("https://", "https://www.")
    feed = server.serve("/p/feed.xml", atom(entry(server.url("/p/1/"), f'<a href="{www}">z</a>')),
                        content_type="application/atom+xml")  # fmt: skip
    settings = make_settings(tmp_path, [{"name": "P", "url": server.url("/p/"), "feed": feed}],
                             site_aliases=())  # fmt: skip
    run = collect(settings)
    assert {(i.source, i.target) for i in run.store} == {(server.url("/p/1/"), SMILE)}


@pytest.mark.parametrize("parser", ["fast", "feedparser"])
def test_finding_6c_every_thr_in_reply_to_of_an_atom_entry_is_honoured(parser):
    document = atom(entry("https://peer.example/r/", "both", BLOG, SMILE)).encode()
    url, fallback = "https://peer.example/feed.xml", Author(name="Peer")
    if parser == "fast":
        parsed = parse_document(document, url, "application/atom+xml", fallback)
    else:
        parsed = feedparser_feed(document, url, "application/atom+xml", fallback)
    [only] = parsed.entries
    assert only.in_reply_to == (BLOG, SMILE)
    from beancan.peers.feeds import entry_interactions

    found = entry_interactions(only, SiteURLs(SITE))
    assert sorted((i.target, i.kind) for i in found) == [(BLOG, "reply"), (SMILE, "reply")]
