"""Which of our posts an entry links to, whatever form the link takes.

Only ``<a href>`` counts, read by ``beancan.links`` like every link Beancan
reads: our domain written as plain text is not a link. Relative links are
resolved against the entry's base (feedparser already resolves ``xml:base``,
RFC 3023/XML Base; JSON Feed and mf2 content against the entry's URL).
Every form of one of our URLs (scheme, ``www.``, aliases, trailing slash,
tracking parameters, fragment) maps to one target.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from ..links import outgoing_links
from ..urls import SiteURLs, canonical_url

__all__ = ["absolute_links", "hrefs", "is_post_path", "our_post_targets"]

#: Our pages that list posts rather than being one: a link to them is not a
#: mention of a post (nor is the home page, "/").
LISTING_PREFIXES = (
    "/tag/", "/tags", "/category/", "/categories", "/author/", "/authors", "/archives",
    "/feeds/", "/page/", "/theme/", "/avatars/", "/images/", "/peers", "/conversations",
)  # fmt: skip
_YEAR_OR_MONTH = re.compile(r"^/\d{4}(/\d{2})?/?$")
_FEED_SUFFIXES = (".xml", ".atom", ".rss", ".opml", ".json")


def hrefs(html: str, base: str) -> list[str]:
    """Absolute http(s) links of an HTML fragment, in document order (``beancan.links``)."""
    return outgoing_links(html, base)


def absolute_links(html: str, base: str) -> str:
    """The fragment with every ``href`` made absolute, so it still works on our pages."""
    if not base or "href" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href:
            anchor.set("href", urljoin(base, href))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in root
    )
    return inner


def may_link_to(html: str, base: str, site: SiteURLs) -> bool:
    """False when no link in ``html`` can reach our site: a cheap test before parsing.

    A link can only be ours if it names one of our host names, or if it is
    relative and the base it resolves against is ours.
    """
    if site.is_ours(base):
        return True
    text = html.lower()
    return any(host.split(":")[0] in text for host in site.hosts)


def is_post_path(path: str) -> bool:
    """Whether a path on our site (from ``SiteURLs.path_key``) can be a post or page."""
    path_only = path.split("?", 1)[0]
    if path_only in ("", "/"):
        return False
    if path_only.startswith(LISTING_PREFIXES) or _YEAR_OR_MONTH.match(path_only):
        return False
    return not path_only.endswith(_FEED_SUFFIXES)


def our_post_targets(urls: list[str], site: SiteURLs) -> dict[str, str]:
    """``{identity: target URL}`` for each of ``urls`` that is one of our posts.

    The target is written with our site URL, whichever alias the link used,
    so one post is one target in the store.
    """
    targets: dict[str, str] = {}
    for url in urls:
        clean = canonical_url(url)
        if clean.endswith("/index.html"):
            # A static site answers at ".../" and ".../index.html" alike.
            clean = clean[: -len("index.html")]
        path = site.path_key(clean)
        if not path or not is_post_path(path):
            continue
        identity = site.identity(clean)
        if identity not in targets:
            rest = clean.split("://", 1)[1]
            targets[identity] = site.absolute("/" + rest.split("/", 1)[1] if "/" in rest else "/")
    return targets
