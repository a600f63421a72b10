"""What we send for: each post's or page's outgoing links, and a hash of its content.

The links are read by ``beancan.links``, as everywhere in Beancan. The site's
own documents come from the link manifest the build writes (``manifest.py``);
a live page (``send --url``) from its first h-entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin

from .. import mf2
from ..errors import FetchError
from ..links import outgoing_links
from ..urls import SiteURLs, is_http_url

if TYPE_CHECKING:  # the build imports this module (manifest.py); it needs no HTTP client
    from ..http import HttpClient

__all__ = [
    "RESPONSE_PROPERTIES",
    "OutgoingSource",
    "page_source",
    "source_from_parts",
]

#: Metadata keys (and their mf2 properties) by which a post responds to another.
RESPONSE_PROPERTIES = {
    "in_reply_to": "in-reply-to",
    "like_of": "like-of",
    "repost_of": "repost-of",
    "bookmark_of": "bookmark-of",
}


@dataclass(frozen=True, slots=True)
class OutgoingSource:
    """One of our documents: its URL, the URLs it links to, and a hash of what it says."""

    url: str
    targets: tuple[str, ...]
    digest: str


def _absolute(href: str, base: str) -> str:
    url = urldefrag(urljoin(base, href.strip())).url
    return url if is_http_url(url) else ""


def source_from_parts(
    url: str,
    content_html: str,
    responds_to: Iterable[str],
    site: SiteURLs,
    title: str = "",
    links: Iterable[str] | None = None,
) -> OutgoingSource:
    """An OutgoingSource: links in the content plus response URLs, minus our own.

    ``links`` are the content's ``outgoing_links`` when the caller has them
    already (the build's ``post_links``); else they are read here.
    """
    candidates = [_absolute(u, url) for u in responds_to]
    candidates += outgoing_links(content_html, url) if links is None else links
    targets = sorted({t for t in candidates if t and not site.is_ours(t)})
    payload = json.dumps([title, content_html, targets], ensure_ascii=False)
    return OutgoingSource(url, tuple(targets), hashlib.sha256(payload.encode()).hexdigest()[:32])


async def page_source(http: HttpClient, url: str, site: SiteURLs) -> OutgoingSource:
    """The links of a live page: its first h-entry's content and response properties.

    Without an h-entry every link in the page counts. Raises FetchError.
    """
    response = await http.get(url)
    if not 200 <= response.status < 300:
        raise FetchError(url, f"answered HTTP {response.status}", status=response.status)
    parsed = mf2.parse(response.text, response.url)
    entry = next(mf2.entries(parsed), None)
    if entry is None:
        return source_from_parts(url, response.text, (), site)
    props = entry.get("properties", {})
    responds = [u for prop in RESPONSE_PROPERTIES.values() for u in mf2.get_urls(props.get(prop))]
    return source_from_parts(url, mf2.get_html(props.get("content")), responds, site)
