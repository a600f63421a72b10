"""Finding a peer's feed from its home page; the result is remembered in ``peers.jsonl``.

Order of preference: ``<link rel="alternate">`` to Atom, RSS or JSON Feed
(HTML Living Standard §4.6.7.1, "alternate" with a feed type), the first in
document order that is not a comments feed; then ``<link rel="feed">``
(an h-feed page, IndieWeb); then the home page itself when it carries an
h-feed or h-entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from ..urls import canonical_url

__all__ = ["FEED_TYPES", "Discovered", "discover_feeds"]

FEED_TYPES = {
    "application/atom+xml": "atom",
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/feed+json": "json",
    "application/json": "json",
}


@dataclass(frozen=True, slots=True)
class Discovered:
    url: str
    feed_type: str  # atom, rss, json, h-feed
    title: str = ""


def _is_comments_feed(title: str, href: str) -> bool:
    # WordPress and others advertise the site-wide comments feed next to the
    # posts feed ("Comments Feed", /comments/feed/): it is not the peer's writing.
    return "comment" in title.lower() or "/comments/" in href.lower()


def discover_feeds(html: bytes | str, base: str) -> list[Discovered]:
    """Feeds a page advertises, best first; empty when it advertises none."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    base_tag = root.find(".//base[@href]")
    if base_tag is not None:
        base = urljoin(base, base_tag.get("href", ""))
    alternates: list[Discovered] = []
    h_feeds: list[Discovered] = []
    for link in root.iter("link", "a"):
        rels = (link.get("rel") or "").lower().split()
        href = canonical_url(link.get("href") or "", base)
        if not href:
            continue
        kind = FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        title = (link.get("title") or "").strip()
        if _is_comments_feed(title, href):
            continue
        if link.tag == "link" and "alternate" in rels and kind:
            alternates.append(Discovered(href, kind, title))
        elif "feed" in rels:
            target = alternates if kind else h_feeds
            target.append(Discovered(href, kind or "h-feed", title))
    return list(dict.fromkeys(alternates + h_feeds))
