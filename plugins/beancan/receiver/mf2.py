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

import mf2py
from bs4 import BeautifulSoup

from ..urls import SiteURLs, canonical_url

__all__ = ["describe_source", "links_to"]

#: mf2 property naming the target -> Interaction kind, in the order they win.
KIND_PROPERTIES = (
    ("in-reply-to", "reply"),
    ("repost-of", "repost"),
    ("like-of", "like"),
    ("bookmark-of", "bookmark"),
)
LINK_ATTRIBUTES = ("href", "src", "data", "poster", "cite")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def links_to(
    body: str, content_type: str, base: str, target: str, site: SiteURLs
) -> tuple[bool, BeautifulSoup | None]:
    """Whether the document links to ``target``; also the parsed HTML for reuse."""
    want = site.identity(target)
    if content_type in HTML_TYPES or not content_type:
        soup = BeautifulSoup(body, "lxml")
        for attribute in LINK_ATTRIBUTES:
            for element in soup.find_all(attrs={attribute: True}):
                value = element.get(attribute)
                if isinstance(value, str) and site.identity(canonical_url(value, base)) == want:
                    return True, soup
        return False, soup
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


def describe_source(soup: BeautifulSoup | None, url: str, target: str, site: SiteURLs) -> dict:
    """Values for ``make_interaction`` (kind, author, content, dates) from the source's mf2."""
    if soup is None:
        return {"kind": "mention"}
    parsed = mf2py.parse(doc=soup, url=url, html_parser="lxml")
    want = site.identity(target)
    entry, feed = _responding_entry(parsed.get("items", []), want, site)
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
    content = (props.get("content") or [None])[0]
    content_html = ""
    content_text = ""
    if isinstance(content, dict):
        content_html = str(content.get("html") or "")
        content_text = str(content.get("value") or "")
    elif content:
        content_text = str(content)
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


def _responding_entry(
    items: list[dict], want: str, site: SiteURLs
) -> tuple[dict | None, dict | None]:
    """The h-entry that names the target (else the first one), and its h-feed if any."""
    entries: list[tuple[dict, dict | None]] = []
    for item in items:
        if "h-entry" in item.get("type", []):
            entries.append((item, None))
        elif "h-feed" in item.get("type", []):
            entries += [(c, item) for c in item.get("children", []) if "h-entry" in c["type"]]
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
        if isinstance(first, dict) and "h-card" in first.get("type", []):
            return _card(first)
        text = first.get("value", "") if isinstance(first, dict) else str(first)
        if not canonical_url(text):
            return {"name": text}
        author_page = canonical_url(text)
    if not author_page:
        rel_author = parsed.get("rels", {}).get("author") or []
        author_page = canonical_url(rel_author[0], url) if rel_author else ""
    if not author_page:
        return {}
    # The representative h-card: one whose url is the author page (authorship §5).
    for item in parsed.get("items", []):
        if "h-card" in item.get("type", []):
            card = _card(item)
            if canonical_url(card.get("url", "")) == author_page:
                return card
    return {"url": author_page}


def _card(card: dict) -> dict[str, str]:
    props = card.get("properties", {})
    photo = (props.get("photo") or [""])[0]
    if isinstance(photo, dict):  # mf2py 2: {"value": url, "alt": text}
        photo = photo.get("value", "")
    return {
        "name": get_text(props.get("name")),
        "url": (get_urls(props.get("url")) or [""])[0],
        "photo": str(photo),
    }


def get_text(values: Any) -> str:
    """The first value of an mf2 property as text, whatever its shape."""
    if not values:
        return ""
    first = values[0] if isinstance(values, list) else values
    if isinstance(first, dict):
        first = first.get("value") or first.get("properties", {}).get("name", [""])[0]
    return str(first or "").strip()


def get_urls(values: Any) -> list[str]:
    """Every URL of an mf2 property: plain strings and the ``url`` of embedded h-cites."""
    urls = []
    for value in values or []:
        if isinstance(value, dict):
            candidates = value.get("properties", {}).get("url") or [value.get("value", "")]
        else:
            candidates = [value]
        urls += [canonical_url(str(c)) for c in candidates if isinstance(c, str)]
    return [u for u in urls if u]


def _squash(text: str) -> str:
    return " ".join(text.split())
