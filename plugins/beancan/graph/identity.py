"""Fast URL identities for the graph: the same keys as ``urls``, at a fraction of the cost.

Building the graph looks up the identity of every interaction's URL, and a
big store holds 100,000 distinct ones: ``url_key`` parses and re-encodes
each (about 10 µs), and its ``lru_cache`` cannot help with URLs seen once.
The store only ever holds canonical URLs (``make_interaction`` cleans them),
and for a canonical URL without a query or anything unusual the key is
plain string slicing. Everything else takes the full road, so the result is
always exactly ``url_key`` / ``SiteURLs.identity`` (a property test holds
them equal).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..urls import SiteURLs, url_key

__all__ = ["IdentityCache", "stored_url_key"]

# What canonical_url leaves untouched: a lowercase scheme and ASCII host, no
# port or userinfo, and a path (with no query or fragment) made only of
# characters it never re-encodes; no "%": unquote/quote could change it.
# Searching for one bad character is ten times faster than matching the whole.
_NOT_HOST = re.compile(r"[^a-z0-9.-]")
_NOT_PATH = re.compile(r"[^A-Za-z0-9/_.~!$&'()*+,;=:@-]")


def _plain(url: str) -> str:
    """``host/path`` of a URL canonical_url would return unchanged; "" if unsure."""
    if url.startswith("https://"):
        rest = url[8:]
    elif url.startswith("http://"):
        rest = url[7:]
    else:
        return ""
    host, sep, path = rest.partition("/")
    if not sep or not host or _NOT_HOST.search(host) or _NOT_PATH.search(path):
        return ""
    # Dot segments are resolved, and odd hosts cleaned, by canonical_url.
    if "/." in "/" + path or host[0] == "." or host[-1] == "." or ".." in host:
        return ""
    return rest


def stored_url_key(url: str) -> str:
    """``url_key(url)``, without parsing when ``url`` is already canonical."""
    rest = _plain(url)
    return rest.rstrip("/") if rest else url_key(url)


class IdentityCache:
    """``SiteURLs.identity``, memoized per URL string, with the shortcut above.

    One instance per build: the graph asks for the same target and
    in-reply-to URLs thousands of times.
    """

    def __init__(self, site: SiteURLs) -> None:
        self._hosts = site.hosts
        self._full: Callable[[str], str] = site.identity
        self._known: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        found = self._known.get(url)
        if found is None:
            found = self._known[url] = self._identity(url)
        return found

    def _identity(self, url: str) -> str:
        rest = _plain(url)
        if not rest:
            return self._full(url)
        key = rest.rstrip("/")
        host, sep, path = key.partition("/")
        if host in self._hosts:
            return "@site/" + path if sep else "@site/"
        return key
