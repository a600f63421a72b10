"""From a fetched source document to what an Interaction needs.

Two questions, answered once the source is fetched:

* does it link to the target? (Webmention §3.2.2: an ``href``/``src`` in
  HTML, an exact value in JSON, the string itself in plain text);
* what is it? The h-entry that responds to the target gives the kind (the
  property that names the target, like webmention.io's ``wm-property``), the
  content and dates; its author follows the authorship algorithm
  (https://indieweb.org/authorship-spec), without fetching the author page:
  a representative h-card on the same page is used, else the URL alone.

We write this small module rather than use mf2util: mf2util's
``interpret_comment`` picks the first h-entry, not the one naming our target,
returns unsanitized values in its own shape, and fetches author pages through
a callback outside our hardened client; its last release is from 2023.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup

from .. import mf2
from ..links import LINK_ATTRIBUTES, linked_urls
from ..mf2 import get_text
from ..urls import SiteURLs, canonical_url

__all__ = ["describe_source", "links_to"]

#: mf2 property naming the target -> Interaction kind, in the order they win.
KIND_PROPERTIES = (
    ("in-reply-to", "reply"),
    ("repost-of", "repost"),
    ("like-of", "like"),
    ("bookmark-of", "bookmark"),
)
HTML_TYPES = ("text/html", "application/xhtml+xml")


def links_to(
    body: str, content_type: str, base: str, target: str, site: SiteURLs
) -> tuple[bool, str | None]:
    """Whether the document links to ``target``; also the HTML, for ``describe_source``.

    HTML links are read by ``beancan.links`` (any element's ``href``, ``src``,
    ``data``, ``poster`` or ``cite``), compared by identity so every form of
    our URL (scheme, ``www.``, alias, trailing slash) matches.
    """
    want = site.identity(target)
    if content_type in HTML_TYPES or not content_type:
        found = any(
            site.identity(canonical_url(url)) == want
            for url in linked_urls(body, base, LINK_ATTRIBUTES)
        )
        return found, body
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(body)
        except ValueError:
            return False, None
        return any(site.identity(v) == want for v in _json_strings(data)), None
    # Plain text and anything else: the URL as written (§3.2.2).
    return target in body, None


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def describe_source(html: str | None, url: str, target: str, site: SiteURLs) -> dict:
    """Values for ``make_interaction`` (kind, author, content, dates) from the source's mf2."""
    if html is None:
        return {"kind": "mention"}
    soup = BeautifulSoup(html, "lxml")
    parsed = mf2.parse(soup, url)
    want = site.identity(target)
    entry, feed = _responding_entry(parsed, want, site)
    if entry is None:
        title = soup.title.get_text(strip=True) if soup.title else ""
        return {"kind": "mention", "name": title, "author": _author(None, None, parsed, url)}
    props = entry.get("properties", {})
    kind = "mention"
    for prop, name in KIND_PROPERTIES:
        if any(site.identity(u) == want for u in get_urls(props.get(prop))):
            kind = name
            break
    rsvp = get_text(props.get("rsvp")).lower()
    if kind == "reply" and rsvp:
        kind = "rsvp"
    content_html = mf2.get_html(props.get("content"))
    content_text = get_text(props.get("content"))
    if not content_html and not content_text:
        content_text = get_text(props.get("summary"))
    name = get_text(props.get("name"))
    # mf2 implies a name from the whole text for notes; only a real title is kept.
    if name and (not content_text or _squash(content_text).startswith(_squash(name)[:40])):
        name = ""
    return {
        "kind": kind,
        "url": (get_urls(props.get("url")) or [url])[0],
        "in_reply_to": get_urls(props.get("in-reply-to")),
        "author": _author(entry, feed, parsed, url),
        "name": name,
        "content_html": content_html,
        "content_text": content_text,
        "published": get_text(props.get("published")),
        "updated": get_text(props.get("updated")),
        "rsvp": rsvp,
    }


def _responding_entry(parsed: dict, want: str, site: SiteURLs) -> tuple[dict | None, dict | None]:
    """The h-entry that names the target (else the first one), and its h-feed if any."""
    entries = list(mf2.entries_with_feed(parsed))
    for entry, feed in entries:
        props = entry.get("properties", {})
        for prop, _kind in KIND_PROPERTIES:
            if any(site.identity(u) == want for u in get_urls(props.get(prop))):
                return entry, feed
    return entries[0] if entries else (None, None)


def _author(entry: dict | None, feed: dict | None, parsed: dict, url: str) -> dict[str, str]:
    """The authorship algorithm, steps 1-5, with the author page read from this page only."""
    authors = (entry or {}).get("properties", {}).get("author") or (feed or {}).get(
        "properties", {}
    ).get("author")
    author_page = ""
    if authors:
        first = authors[0]
        if mf2.has_type(first, "h-card"):
            return _canonical(mf2.get_author([first]) or {})
        text = get_text([first])
        if not canonical_url(text):
            return {"name": text}
        author_page = canonical_url(text)
    if not author_page:
        rel_author = mf2.rel_urls(parsed, "author")
        author_page = canonical_url(rel_author[0], url) if rel_author else ""
    if not author_page:
        return {}
    # The representative h-card: one whose url is the author page (authorship §5).
    for item in parsed.get("items", []):
        if mf2.has_type(item, "h-card"):
            card = _canonical(mf2.get_author([item]) or {})
            if card.get("url") == author_page:
                return card
    return {"url": author_page}


def _canonical(card: dict[str, str]) -> dict[str, str]:
    return {
        "name": card.get("name", ""),
        "url": canonical_url(card.get("url", "")),
        "photo": card.get("photo", ""),
    }


def get_urls(values: Any) -> list[str]:
    """Every URL of an mf2 property, canonical, to compare with the target."""
    return [u for u in (canonical_url(v) for v in mf2.get_urls(values)) if u]


def _squash(text: str) -> str:
    return " ".join(text.split())
