"""Whole feed documents into ``ParsedFeed``: RSS/Atom, JSON Feed, or an h-feed page."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import feedparser
from lxml import etree

from .. import mf2
from ..errors import BeancanError
from ..model import Author
from .fastfeed import parse_rss_or_atom
from .feeds import (
    FeedEntry,
    feedparser_entry,
    json_feed_entry,
    mf2_entry,
)

__all__ = [
    "NotAFeed",
    "ParsedFeed",
    "atom_in_reply_to",
    "page_in_reply_to",
    "parse_document",
    "sniff",
]

ATOM = "http://www.w3.org/2005/Atom"
THREAD = "http://purl.org/syndication/thread/1.0"  # RFC 4685
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class NotAFeed(BeancanError):
    """A document that is not a feed we can read; the message says what it is instead."""


@dataclass(slots=True)
class ParsedFeed:
    feed_type: str  # atom, rss, json, h-feed
    title: str = ""
    entries: list[FeedEntry] = field(default_factory=list)


def sniff(content: bytes, content_type: str) -> str:
    """``json``, ``html`` or ``xml``: by Content-Type, then by the first bytes."""
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if "json" in content_type or head.startswith(b"{"):
        return "json"
    # Some servers label their feeds text/html: the root element decides then.
    if content_type in ("text/html", "application/xhtml+xml") and not head.startswith(
        (b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")
    ):
        return "html"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "xml"


def parse_document(content: bytes, url: str, content_type: str, fallback: Author) -> ParsedFeed:
    """Parse a fetched document as a feed; raises NotAFeed saying why it is not one.

    ``fallback`` is the author of entries that name none (the peer).
    """
    kind = sniff(content, content_type)
    if kind == "json":
        return _json_feed(content, fallback)
    if kind == "html":
        return _h_feed(content, url, fallback)
    return _xml_feed(content, url, content_type, fallback)


def atom_in_reply_to(content: bytes) -> list[tuple[str, ...]] | None:
    """Every ``thr:in-reply-to`` of each Atom entry, in document order.

    None when the document is not well-formed Atom: the caller then keeps
    feedparser's value (which holds only the last one, RFC 4685 §3 allows many).
    """
    try:
        root = etree.fromstring(content, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != f"{{{ATOM}}}feed":
        return None
    refs = []
    for entry in root.iterfind(f"{{{ATOM}}}entry"):
        links = []
        for reply in entry.iterfind(f"{{{THREAD}}}in-reply-to"):
            # "ref" is the parent's id (an IRI, often its URL); "href" where to read it.
            for value in (reply.get("href"), reply.get("ref")):
                if value and value.startswith(("http://", "https://")):
                    links.append(value)
        refs.append(tuple(dict.fromkeys(links)))
    return refs


def _xml_feed(content: bytes, url: str, content_type: str, fallback: Author) -> ParsedFeed:
    # The one seam of the second XML parser. fastfeed reads well-formed RSS 2.0 and
    # Atom with lxml; feedparser (lenient, slow: its SAX handlers run in Python)
    # reads whatever it declines. bench/bench_peers.py, 200 feeds on 200 hosts, 3
    # pairs each: first collect 1.70 s with it, 2.49 s without it, i.e. 6.9x vs
    # 4.5x the one-at-a-time feedparser loop (target 6x). It stays for that.
    fast = parse_rss_or_atom(content, url, fallback)
    if fast is not None:
        return ParsedFeed(*fast)
    return feedparser_feed(content, url, content_type, fallback)


def feedparser_feed(content: bytes, url: str, content_type: str, fallback: Author) -> ParsedFeed:
    """Any RSS or Atom feedparser can read, however malformed."""
    # The URL is passed as Content-Location so relative links resolve against it
    # where the feed has no xml:base. Sanitizing is make_interaction's job.
    result = feedparser.parse(
        content,
        response_headers={"content-location": url, "content-type": content_type or "text/xml"},
        sanitize_html=False,
    )
    version = result.get("version") or ""
    if not version:
        reason = result.get("bozo_exception")
        raise NotAFeed(f"not RSS or Atom ({reason})" if reason else "not RSS or Atom")
    feed: Mapping[str, Any] = result.get("feed", {})
    refs = atom_in_reply_to(content) if version.startswith("atom") else None
    if refs is not None and len(refs) != len(result.entries):
        refs = None
    entries = [
        feedparser_entry(entry, feed, fallback, refs[n] if refs is not None else None)
        for n, entry in enumerate(result.entries)
    ]
    feed_type = "atom" if version.startswith("atom") else "rss"
    return ParsedFeed(feed_type, str(feed.get("title") or ""), entries)


def _json_feed(content: bytes, fallback: Author) -> ParsedFeed:
    try:
        document = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotAFeed(f"not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_VERSION
    ):
        raise NotAFeed("JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    if not isinstance(items, list):
        raise NotAFeed("a JSON Feed without an 'items' list")
    entries = [json_feed_entry(i, document, fallback) for i in items if isinstance(i, dict)]
    return ParsedFeed("json", str(document.get("title") or ""), entries)


def _h_feed(content: bytes, url: str, fallback: Author) -> ParsedFeed:
    parsed = mf2.parse(content, url)
    items = parsed.get("items", [])
    feed = next((i for i in items if mf2.has_type(i, "h-feed")), None)
    candidates = feed.get("children", []) if feed else items
    entries = [i for i in candidates if mf2.has_type(i, "h-entry")]
    if not entries:
        raise NotAFeed("an HTML page, not a feed (no h-feed or h-entry on it)")
    props = feed.get("properties", {}) if feed else {}
    feed_author = mf2.get_author(props.get("author"))
    return ParsedFeed(
        "h-feed",
        mf2.get_text(props.get("name")),
        [mf2_entry(entry, feed_author, fallback) for entry in entries],
    )


def page_in_reply_to(content: bytes, url: str) -> tuple[str, ...]:
    """The ``u-in-reply-to`` URLs of the h-entry on a post's own page (mf2 h-entry)."""
    for item in mf2.parse(content, url).get("items", []):
        if mf2.has_type(item, "h-entry"):  # the page's own entry, not a feed's children
            return tuple(mf2.get_urls(item.get("properties", {}).get("in-reply-to")))
    return ()
