"""URL normalization: every form of one URL maps to one key.

Two forms are kept apart on purpose:

* ``canonical_url`` cleans a URL but keeps it a working address (scheme,
  trailing slash): it is what the store records and what pages link to.
* ``url_key`` is the identity used for dedupe and lookups: scheme, trailing
  slash and query order no longer matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

__all__ = [
    "SiteURLs",
    "canonical_url",
    "host_of",
    "key_host",
    "is_http_url",
    "metadata_urls",
    "url_key",
]

DEFAULT_PORTS = {"http": 80, "https": 443}
#: Query parameters that only track the click; they never change the document.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "share", "cmpid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
# RFC 3986 §2.3 unreserved characters plus the sub-delims a path may carry raw,
# except the apostrophe: a URL lands in HTML attributes, and the stored form
# (``model._PLAIN_URL``) refuses every quote, so it is always %27 here.
_PATH_SAFE = "/:@!$&()*+,;=-._~"
_QUERY_SAFE = "/:@!$()*+,;-._~?"
#: What a cleaned host may be: DNS labels (IDNA-encoded) or an IPv6 literal.
_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\]")


def is_http_url(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _clean_host(parts: SplitResult) -> str:
    """Lowercased host (IDNA-encoded) with its port unless it is the default."""
    host = (parts.hostname or "").rstrip(".")
    port = parts.port  # raises ValueError for a port that is not a number
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if not _HOST.fullmatch(host):
        return ""  # quotes, brackets, spaces: nothing a browser could be sent to
    if port is not None and port != DEFAULT_PORTS[parts.scheme.lower()]:
        return f"{host}:{port}"
    return host


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 §5.2.4, enough for the paths people link to.
    if "." not in path:
        return path
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    result = "/".join(output)
    if path.endswith(("/.", "/..")):
        result += "/"
    return result if result.startswith("/") else "/" + result


def canonical_url(url: str, base: str = "") -> str:
    """Clean ``url`` (resolved against ``base``); "" when it is not http(s).

    Lowercases scheme and host, drops default ports, fragments and tracking
    parameters, normalizes percent-encoding and dot segments. The trailing
    slash and the remaining query are kept: the result must still work.
    """
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        return ""
    try:
        host = _clean_host(parts)
    except ValueError:
        return ""
    if not host:
        return ""
    path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    path = _remove_dot_segments(path)
    query = ""
    if parts.query:
        pairs = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
        ]
        query = urlencode(pairs, quote_via=quote, safe=_QUERY_SAFE)
    return urlunsplit((scheme, host, path, query, ""))


# A URL already in its simplest form: lowercase host without port, a path of
# characters that need no encoding, no dot segments, no query or fragment.
# Most URLs Beancan handles (everything the store holds) look like this, and
# their key is a slice of the string: no parsing needed.
_SIMPLE_URL = re.compile(
    r"https?://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(/[A-Za-z0-9/:@!$&()*+,;=_~.-]*)?\Z"
)


def url_key(url: str) -> str:
    """The identity of a URL: ``host/path?sorted-query`` with no trailing slash.

    ``http://Example.com:80/a/?utm_source=x#c`` and ``https://example.com/a``
    have the same key. Returns "" for anything that is not an http(s) URL.
    """
    simple = _SIMPLE_URL.match(url)
    if simple and "/." not in url:
        return simple.group(1) + (simple.group(2) or "").rstrip("/")
    clean = canonical_url(url)
    if not clean:
        return ""
    rest = clean.split("://", 1)[1]
    path, _, query = rest.partition("?")
    path = path.rstrip("/") if path.count("/") > 0 else path
    if query:
        query = "&".join(sorted(query.split("&")))
        return f"{path}?{query}"
    return path


def _www_forms(host: str) -> tuple[str, ...]:
    """``host`` and its bare or ``www.`` twin; an address or a one-label name has none."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if "." not in name or name.startswith("[") or name.replace(".", "").isdigit():
        return (host,)
    twin = host[4:] if host.startswith("www.") else "www." + host
    return (host, twin) if "." in twin.rsplit(":", 1)[0] else (host,)


def host_of(url: str) -> str:
    """The cleaned host (with a non-default port) of an http(s) URL, or ""."""
    return key_host(url_key(url))


def key_host(key: str) -> str:
    """The host part of a URL key (``url_key``): everything before the first ``/`` or ``?``."""
    return key.split("/", 1)[0].split("?", 1)[0]


class SiteURLs:
    """Recognizes our own URLs in any form: other scheme, ``www.``, aliases.

    The bare and ``www.`` forms of the site's host and of every alias are
    the same site by default: it is the alias people get wrong most often
    (a link to ``www.site.example`` when SITEURL has none, and the reverse).

    An instance remembers the identities it has worked out: a build makes
    one (per process) and asks for the same targets and in-reply-to URLs
    thousands of times, and the memory goes with the instance, not the
    process (no cache outlives a build).
    """

    def __init__(self, siteurl: str, aliases: Iterable[str] = ()) -> None:
        self.siteurl = siteurl.rstrip("/")
        hosts = [h for h in (host_of(u + "/") for u in (siteurl, *aliases)) if h]
        self.hosts = frozenset(form for host in hosts for form in _www_forms(host))
        self._identities: dict[str, str] = {}

    def is_ours(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def path_key(self, url: str) -> str:
        """The path (and query) part of one of our URLs, as a key; "" if not ours.

        Our home page maps to "/" so callers can tell it apart from a post.
        """
        return self._path_of(url_key(url))

    def _path_of(self, key: str) -> str:
        host, sep, rest = key.partition("/")
        if not key or host.split("?")[0] not in self.hosts:
            return ""
        return "/" + rest if sep else "/"

    def identity(self, url: str) -> str:
        """A key for any URL in which all forms of our own URLs agree.

        Ours become ``@site/path`` whichever host alias they were written
        with; anyone else's is their ``url_key``.
        """
        found = self._identities.get(url)
        if found is None:
            key = url_key(url)
            path = self._path_of(key)
            found = self._identities[url] = "@site" + path if path else key
        return found

    def absolute(self, path_or_url: str) -> str:
        if is_http_url(path_or_url):
            return path_or_url
        return f"{self.siteurl}/{path_or_url.lstrip('/')}"


def metadata_urls(metadata: Mapping[str, Any], name: str) -> list[str]:
    """The URLs in one post metadata field (``In_reply_to``, ``Syndication`` ...).

    One URL, or several separated by commas or spaces; a list as given.
    """
    value = metadata.get(name)
    if not value:
        return []
    values = value if isinstance(value, list | tuple) else re.split(r"[,\s]+", str(value))
    return [v for v in (str(v).strip() for v in values) if v]
