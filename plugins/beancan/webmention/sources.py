"""What we send for: each post's or page's outgoing links, and a hash of its content.

The site's posts are read with Pelican's own generators (``generate_context``
runs the readers, plugins included, and writes nothing) rather than scraped
from ``output/``: that gives exactly the published articles and pages, their
final URLs, their metadata straight from the Markdown, and their content
without the theme's chrome. Scraping the output would also pick up the
navigation, the blogroll and, worst of all, the links of every comment shown
under a post, and Webmention them all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin

from ..http import HttpClient
from ..urls import SiteURLs, is_http_url

__all__ = [
    "RESPONSE_PROPERTIES",
    "OutgoingSource",
    "links_in_html",
    "page_source",
    "site_sources",
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


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in_html(html: str, base: str) -> list[str]:
    """Absolute http(s) URLs of every ``<a href>`` in ``html``, fragments removed."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return [u for u in (_absolute(h, base) for h in parser.hrefs) if u]


def _absolute(href: str, base: str) -> str:
    url = urldefrag(urljoin(base, href.strip())).url
    return url if is_http_url(url) else ""


def source_from_parts(
    url: str, content_html: str, responds_to: Iterable[str], site: SiteURLs, title: str = ""
) -> OutgoingSource:
    """An OutgoingSource: links in the content plus response URLs, minus our own."""
    candidates = [_absolute(u, url) for u in responds_to]
    candidates += links_in_html(content_html, url)
    targets = sorted({t for t in candidates if t and not site.is_ours(t)})
    payload = json.dumps([title, content_html, targets], ensure_ascii=False)
    return OutgoingSource(url, tuple(targets), hashlib.sha256(payload.encode()).hexdigest()[:32])


def _metadata_urls(metadata: dict[str, Any], name: str) -> list[str]:
    value = metadata.get(name)
    if not value:
        return []
    values = value if isinstance(value, list | tuple) else re.split(r"[,\s]+", str(value))
    return [v for v in (str(v).strip() for v in values) if v]


def site_sources(pelican_settings: dict[str, Any]) -> list[OutgoingSource]:
    """Every published article and page of the site, read by Pelican's generators."""
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator, PagesGenerator

    from ..settings import get_settings

    pelican = Pelican(pelican_settings)
    context = pelican.settings.copy()
    context.update(
        generated_content={},
        static_links=set(),
        static_content={},
        localsiteurl=pelican.settings["SITEURL"],
    )
    generators = [
        cls(
            context=context,
            settings=pelican.settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in pelican._get_generator_classes()
    ]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    site = get_settings(pelican.settings).site
    documents: list[Any] = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            documents += generator.articles + generator.translations
            documents += generator.hidden_articles
        elif isinstance(generator, PagesGenerator):
            documents += generator.pages + generator.translations + generator.hidden_pages
    sources = []
    for doc in documents:
        responds = [u for name in RESPONSE_PROPERTIES for u in _metadata_urls(doc.metadata, name)]
        sources.append(
            source_from_parts(site.absolute(doc.url), doc.content, responds, site, doc.title)
        )
    return sorted(sources, key=lambda s: s.url)


async def page_source(http: HttpClient, url: str, site: SiteURLs) -> OutgoingSource:
    """The links of a live page: its first h-entry's content and response properties.

    Without an h-entry every link in the page counts. Raises FetchError.
    """
    import mf2py

    response = await http.get(url)
    if not 200 <= response.status < 300:
        from ..errors import FetchError

        raise FetchError(url, f"answered HTTP {response.status}", status=response.status)
    parsed = mf2py.parse(doc=response.text, url=response.url, metaformats=False)
    entry = next((i for i in parsed.get("items", []) if "h-entry" in i.get("type", [])), None)
    if entry is None:
        return source_from_parts(url, response.text, (), site)
    props = entry.get("properties", {})
    content = props.get("content") or [{}]
    content_html = content[0].get("html", "") if isinstance(content[0], dict) else ""
    responds = []
    for prop in RESPONSE_PROPERTIES.values():
        for value in props.get(prop, []):
            if isinstance(value, dict):
                value = (value.get("properties", {}).get("url") or [value.get("value", "")])[0]
            if isinstance(value, str):
                responds.append(value)
    return source_from_parts(url, content_html, responds, site)
