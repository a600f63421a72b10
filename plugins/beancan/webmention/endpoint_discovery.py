"""Endpoint discovery: where a target page wants its Webmentions (or pingbacks).

Follows W3C Webmention §3.1.2 exactly: the HTTP ``Link`` header first, then
the first ``<link>`` or ``<a>`` element in document order whose ``rel``
contains ``webmention``; relative URLs resolve against the final URL after
redirects, an empty ``href`` is the page itself, and the query string is
kept. The document is parsed (not searched with a regex), so endpoints inside
HTML comments, scripts or escaped sample code are never found. Pingback
discovery (Pingback 1.0 "Autodiscovery") is done on the same response.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from ..http import HttpClient, Response

__all__ = ["Endpoints", "discover", "find_endpoints", "parse_link_header"]

#: Content types parsed as HTML (Webmention §3.1.2: "If the content type of the
#: document is HTML").
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class Endpoints:
    """What a target page advertises; "" where it advertises nothing."""

    webmention: str = ""
    pingback: str = ""
    #: the target's URL after redirects (relative endpoints resolved against it).
    final_url: str = ""
    status: int = 0


def parse_link_header(value: str) -> list[tuple[str, tuple[str, ...]]]:
    """``[(uri_reference, rel_values), ...]`` from one ``Link`` header (RFC 8288 §3).

    Handles several link-values in one header, quoted and unquoted ``rel``,
    several space-separated relation types, and commas or semicolons inside
    quoted strings and inside ``<...>``.
    """
    links: list[tuple[str, tuple[str, ...]]] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("<", i)
        if start < 0:
            break
        end = value.find(">", start + 1)
        if end < 0:
            break
        target = value[start + 1 : end].strip()
        i = end + 1
        rels: tuple[str, ...] = ()
        # Parameters run to the next comma that is outside a quoted string.
        while i < n and value[i] != ",":
            if value[i] != ";":
                i += 1
                continue
            i += 1
            name_end = i
            while name_end < n and value[name_end] not in "=;,":
                name_end += 1
            name = value[i:name_end].strip().lower()
            i = name_end
            param = ""
            if i < n and value[i] == "=":
                i += 1
                while i < n and value[i] in " \t":
                    i += 1
                if i < n and value[i] == '"':
                    close = i + 1
                    chars: list[str] = []
                    while close < n and value[close] != '"':
                        if value[close] == "\\" and close + 1 < n:
                            close += 1
                        chars.append(value[close])
                        close += 1
                    param, i = "".join(chars), close + 1
                else:
                    stop = i
                    while stop < n and value[stop] not in ";,":
                        stop += 1
                    param, i = value[i:stop].strip(), stop
            # RFC 8288 §3.3: only the first rel parameter counts.
            if name == "rel" and not rels:
                rels = tuple(r.lower() for r in param.split())
        links.append((target, rels))
        i += 1
    return links


class _RelFinder(HTMLParser):
    """The first ``<link>``/``<a>`` with an ``href`` for each wanted rel, in document order."""

    def __init__(self, wanted: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        values = dict(attrs)
        href = values.get("href")
        # webmention.rocks test 20: an element without href is skipped, not "the page".
        if href is None:
            return
        rels = (values.get("rel") or "").lower().split()
        for rel in self.wanted:
            if rel in rels and rel not in self.found:
                self.found[rel] = href.strip()

    handle_startendtag = handle_starttag


def find_endpoints(response: Response) -> Endpoints:
    """Webmention and pingback endpoints advertised by one (already fetched) response."""
    base = response.url
    webmention = pingback = None
    # Webmention §3.1.2: the Link header wins over anything in the document;
    # httpx headers are case-insensitive (test 7) and keep repeated headers (test 18).
    for header in response.headers.get_list("link"):
        for target, rels in parse_link_header(header):
            if "webmention" in rels:
                webmention = target
                break
        if webmention is not None:
            break
    x_pingback = response.headers.get("x-pingback", "").strip()
    if x_pingback:
        pingback = x_pingback
    if response.content_type in HTML_TYPES or not response.content_type:
        wanted = tuple(
            rel
            for rel, have in (("webmention", webmention), ("pingback", pingback))
            if have is None
        )
        if wanted:
            finder = _RelFinder(wanted)
            finder.feed(response.text)
            finder.close()
            if webmention is None:
                webmention = finder.found.get("webmention")
            if pingback is None:
                pingback = finder.found.get("pingback")
    return Endpoints(
        # urljoin(base, "") is base itself: an empty href is the page (test 15).
        webmention=urljoin(base, webmention) if webmention is not None else "",
        pingback=urljoin(base, pingback) if pingback is not None else "",
        final_url=base,
        status=response.status,
    )


async def discover(http: HttpClient, target: str) -> Endpoints:
    """Fetch ``target`` (following redirects) and find its endpoints; raises FetchError."""
    response = await http.get(target, headers={"Accept": "text/html, */*;q=0.5"})
    if not 200 <= response.status < 300:
        return Endpoints(final_url=response.url, status=response.status)
    return find_endpoints(response)
