"""One converter per feed format, each into ``FeedEntry`` and then into Interactions.

``from_feed_entry`` (RSS and Atom, parsed by feedparser), ``from_json_feed_item``
(JSON Feed 1.0/1.1) and ``from_mf2_entry`` (an h-entry of an h-feed page)
all end in ``entry_interactions``, which finds the links to our posts and
builds each Interaction through ``make_interaction``, the sanitizing boundary.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import mf2
from ..model import Author, Interaction, make_interaction
from ..urls import SiteURLs, canonical_url
from .config import Peer
from .links import absolute_links, hrefs, may_link_to, our_post_targets

__all__ = [
    "FeedEntry",
    "entry_interactions",
    "from_feed_entry",
    "from_json_feed_item",
    "from_mf2_entry",
    "feedparser_entry",
    "json_feed_entry",
    "mf2_entry",
    "peer_author",
]

_COMMENT_FEED_TYPES = ("application/atom+xml", "application/rss+xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of any feed format, before we look for links to our posts."""

    url: str
    title: str = ""
    content_html: str = ""  # untrusted; sanitized by make_interaction
    base: str = ""  # for links the parser left relative
    published: str = ""
    updated: str = ""
    author: Author = field(default_factory=Author)
    in_reply_to: tuple[str, ...] = ()
    comment_feed: str = ""


def peer_author(peer: Peer) -> Author:
    return Author(name=peer.name, url=peer.url)


def _first_author(*candidates: Mapping[str, Any] | None, fallback: Author) -> Author:
    """The entry's author, else the feed's, else ``fallback`` (the peer)."""
    for candidate in candidates:
        if candidate and (candidate.get("name") or candidate.get("url")):
            return Author(
                name=str(candidate.get("name") or ""),
                url=str(candidate.get("url") or ""),
                photo=str(candidate.get("photo") or ""),
            )
    return fallback


def entry_interactions(
    entry: FeedEntry,
    site: SiteURLs,
    *,
    direction: str = "in",
    extra_in_reply_to: tuple[str, ...] = (),
) -> list[Interaction]:
    """An Interaction for each of our posts the entry links to or replies to.

    ``reply`` when the entry's in-reply-to names that post (Atom
    ``thr:in-reply-to``, mf2 ``u-in-reply-to``), else ``mention``. Entries
    without a URL, and our own pages echoed in someone's feed, give nothing.
    """
    source = canonical_url(entry.url)
    if not source or site.is_ours(source):
        return []
    in_reply_to = tuple(dict.fromkeys((*entry.in_reply_to, *extra_in_reply_to)))
    base = entry.base or source
    replied = our_post_targets(list(entry.in_reply_to), site)
    linked = {}
    if may_link_to(entry.content_html, base, site):
        linked = our_post_targets(hrefs(entry.content_html, base), site)
    targets = {**linked, **replied}
    content = absolute_links(entry.content_html, base) if targets else ""
    return [
        make_interaction(
            source=source,
            target=target,
            kind="reply" if identity in replied else "mention",
            in_reply_to=in_reply_to,
            author=entry.author,
            name=entry.title,
            content_html=content,
            published=entry.published,
            updated=entry.updated,
            channels=("feed",),
            direction=direction,
        )
        for identity, target in sorted(targets.items())
    ]


# --- RSS and Atom (feedparser) ------------------------------------------------------


def _parsed_date(entry: Mapping[str, Any], name: str) -> str:
    # feedparser has already turned every date format it knows into UTC. The
    # plain dict lookup skips FeedParserDict's deprecated updated->published alias.
    parsed = dict.get(entry, f"{name}_parsed")
    if parsed:
        try:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
        except (TypeError, ValueError):
            pass
    return str(dict.get(entry, name) or "")


def feedparser_entry(
    entry: Mapping[str, Any],
    feed: Mapping[str, Any],
    fallback: Author,
    in_reply_to: tuple[str, ...] | None = None,
) -> FeedEntry:
    """A FeedEntry from a feedparser entry.

    feedparser keeps only the last ``thr:in-reply-to`` of an entry (RFC 4685
    §3 allows several), so the caller passes every ref read from the XML.
    """
    contents = entry.get("content") or []
    content = next((c for c in contents if "html" in (c.get("type") or "")), None)
    content = content or (contents[0] if contents else None)
    if content:
        body, base = content.get("value") or "", content.get("base") or ""
        if "html" not in (content.get("type") or "html"):
            body = f"<p>{html.escape(body)}</p>"
    else:
        detail = entry.get("summary_detail") or {}
        body, base = entry.get("summary") or "", detail.get("base") or ""
    if in_reply_to is None:
        last = entry.get("thr_in-reply-to") or {}
        in_reply_to = tuple(u for u in (last.get("href") or last.get("ref"),) if u)
    comment_feed = entry.get("wfw_commentrss") or next(
        (link.get("href") for link in entry.get("links") or ()
         if link.get("rel") == "replies" and link.get("type") in _COMMENT_FEED_TYPES),
        "",
    )  # fmt: skip
    author = _first_author(
        _detail(entry.get("author_detail")), _detail(feed.get("author_detail")), fallback=fallback
    )
    return FeedEntry(
        url=str(entry.get("link") or ""),
        title=str(entry.get("title") or ""),
        content_html=str(body),
        base=str(base),
        published=_parsed_date(entry, "published") or _parsed_date(entry, "updated"),
        updated=_parsed_date(entry, "updated"),
        author=author,
        in_reply_to=tuple(str(u) for u in in_reply_to),
        comment_feed=str(comment_feed or ""),
    )


def _detail(detail: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not detail:
        return None
    return {"name": detail.get("name") or "", "url": detail.get("href") or ""}


def from_feed_entry(
    entry: Mapping[str, Any],
    *,
    feed: Mapping[str, Any],
    peer: Peer,
    site: SiteURLs,
    in_reply_to: tuple[str, ...] | None = None,
) -> list[Interaction]:
    """Interactions from one feedparser entry of a peer's RSS or Atom feed."""
    return entry_interactions(feedparser_entry(entry, feed, peer_author(peer), in_reply_to), site)


# --- JSON Feed (https://www.jsonfeed.org/version/1.1/) ------------------------------


def _json_author(value: Any) -> dict[str, str] | None:
    # 1.1 has "authors" (a list); 1.0 had "author" (an object).
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    if not isinstance(value, dict):
        return None
    return {"name": str(value.get("name") or ""), "url": str(value.get("url") or ""),
            "photo": str(value.get("avatar") or "")}  # fmt: skip


def json_feed_entry(
    item: Mapping[str, Any], feed: Mapping[str, Any], fallback: Author
) -> FeedEntry:
    """A FeedEntry from one JSON Feed item."""
    url = str(item.get("url") or item.get("external_url") or "")
    body = item.get("content_html")
    if not isinstance(body, str) or not body:
        text = item.get("content_text") or item.get("summary") or ""
        body = f"<p>{html.escape(str(text))}</p>" if text else ""
    author = _first_author(
        _json_author(item.get("authors") or item.get("author")),
        _json_author(feed.get("authors") or feed.get("author")),
        fallback=fallback,
    )
    return FeedEntry(
        url=url,
        title=str(item.get("title") or ""),
        content_html=body,
        base=url or str(feed.get("home_page_url") or ""),
        published=str(item.get("date_published") or ""),
        updated=str(item.get("date_modified") or ""),
        author=author,
    )


def from_json_feed_item(
    item: Mapping[str, Any], *, feed: Mapping[str, Any], peer: Peer, site: SiteURLs
) -> list[Interaction]:
    """Interactions from one item of a peer's JSON Feed."""
    return entry_interactions(json_feed_entry(item, feed, peer_author(peer)), site)


# --- microformats2 h-entry (https://microformats.org/wiki/h-entry) --------------------
# mf2 values may be strings or embedded objects; these helpers flatten them once.


def mf2_entry(
    item: Mapping[str, Any], feed_author: dict[str, str] | None, fallback: Author
) -> FeedEntry:
    """A FeedEntry from one parsed h-entry (its ``properties``)."""
    props = item.get("properties", {})
    url = mf2.get_url(props.get("url"))
    content = next(iter(props.get("content") or ()), "")
    name = mf2.get_text(props.get("name"))
    if isinstance(content, dict):
        body = content.get("html") or ""
    else:
        # No e-content: a note's text is its (implied) name (mf2 parsing §implied name).
        body = f"<p>{html.escape(content or name)}</p>" if content or name else ""
    return FeedEntry(
        url=url,
        title=name if props.get("content") else "",
        content_html=body,
        base=url,
        published=mf2.get_text(props.get("published")),
        updated=mf2.get_text(props.get("updated")),
        author=_first_author(mf2.get_author(props.get("author")), feed_author, fallback=fallback),
        in_reply_to=tuple(mf2.get_urls(props.get("in-reply-to"))),
    )


def from_mf2_entry(
    item: Mapping[str, Any],
    *,
    peer: Peer,
    site: SiteURLs,
    feed_author: dict[str, str] | None = None,
) -> list[Interaction]:
    """Interactions from one h-entry of a peer's h-feed page."""
    return entry_interactions(mf2_entry(item, feed_author, peer_author(peer)), site)
