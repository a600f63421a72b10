"""The lxml fast path and feedparser read every platform fixture the same way."""

from __future__ import annotations

import pytest

from beancan.dates import normalize_date
from beancan.model import Author
from beancan.peers.fastfeed import parse_rss_or_atom
from beancan.peers.feeds import entry_interactions
from beancan.peers.parse import feedparser_feed, parse_document
from beancan.sanitize import clean_text, html_to_text
from beancan.urls import SiteURLs, canonical_url
from tests.peers.helpers import FIXTURES

SITE = SiteURLs("https://tamsin.example", ["https://www.tamsin.example"])
BASE = "http://127.0.0.1:8765"
PEER = Author("The Peer", "https://peer.example/")
XML_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.xml"))


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", BASE).encode()


def _entries(entries):
    return [
        (canonical_url(e.url), clean_text(e.title), html_to_text(e.content_html),
         normalize_date(e.published), normalize_date(e.updated), e.author,
         e.in_reply_to, canonical_url(e.comment_feed))
        for e in entries
    ]  # fmt: skip


@pytest.mark.parametrize("name", XML_FIXTURES)
def test_fast_path_reads_the_fixture_like_feedparser(name):
    content = _read(name)
    fast = parse_rss_or_atom(content, f"{BASE}/feed", PEER)
    slow = feedparser_feed(content, f"{BASE}/feed", "application/xml", PEER)

    assert fast is not None
    kind, title, entries = fast
    assert (kind, title) == (slow.feed_type, slow.title)
    assert _entries(entries) == _entries(slow.entries)
    assert [entry_interactions(e, SITE) for e in entries] == [
        entry_interactions(e, SITE) for e in slow.entries
    ]


RSS_1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old blog</title><link>https://old.example/</link></channel>
<item rdf:about="https://old.example/1"><title>One</title><link>https://old.example/1</link>
<description>&lt;a href="https://tamsin.example/2026/03/the-smile-is-free/"&gt;x&lt;/a&gt;</description>
<dc:creator>Old Timer</dc:creator><dc:date>2026-03-01T10:00:00Z</dc:date></item>
</rdf:RDF>"""
LOOSE = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Loose</title><item>'
         b"<title>Caf&eacute; &nbsp;notes</title><link>https://loose.example/1</link>"
         b'<description>&lt;a href="https://tamsin.example/2026/03/the-smile-is-free/"&gt;x&lt;/a&gt;'
         b"</description></item></channel></rss>")  # fmt: skip


@pytest.mark.parametrize("content", [RSS_1, LOOSE], ids=["rss 1.0", "undeclared entities"])
def test_what_the_fast_path_cannot_read_goes_to_feedparser(content):
    assert parse_rss_or_atom(content, "https://x.example/feed", PEER) is None
    parsed = parse_document(content, "https://x.example/feed", "application/xml", PEER)
    (entry,) = parsed.entries
    (interaction,) = entry_interactions(entry, SITE)
    assert interaction.target == "https://tamsin.example/2026/03/the-smile-is-free/"


@pytest.mark.parametrize(
    ("head", "content_type", "kind"),
    [
        (b"<rss version='2.0'>", "text/html", "xml"),
        (b"<?xml version='1.0'?><feed>", "text/html", "xml"),
        (b"<!DOCTYPE html><html>", "text/xml", "html"),
        (b"<html><body>", "text/html", "html"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "text/plain", "json"),
        (b"<rss version='2.0'>", "application/rss+xml", "xml"),
    ],
)
def test_sniff_by_content_type_then_first_bytes(head, content_type, kind):
    from beancan.peers.parse import sniff

    assert sniff(head, content_type) == kind
