"""The one way Beancan reads microformats2: parse once, flatten at the boundary.

mf2 gives every property as a list whose items may be a string, a dict with
a ``value`` (``{"value": url, "alt": text}`` for a photo with alt text, mf2py
2), an embedded microformat (``{"type": ["h-card"], "properties": ...}``)
or, for ``e-*`` properties, ``{"html": ..., "value": ...}``. The helpers here
settle that ambiguity once, as granary's ``get_text`` and
``get_string_urls`` do, so the receiver, the peers' h-feeds, ``send --url``
and the graph never branch on shapes.

Nothing here fetches: authorship uses only the parsed page (the receiver's
``describe_source`` follows the algorithm on top of these helpers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = [
    "entries",
    "entries_with_feed",
    "get_author",
    "get_html",
    "get_photo",
    "get_text",
    "get_url",
    "get_urls",
    "has_type",
    "parse",
    "rel_urls",
]

#: Nesting we follow into embedded microformats' names and URLs; mf2 allows
#: any depth, a hostile page makes it deep, real ones need one or two levels.
MAX_DEPTH = 8


def parse(doc: Any, url: str) -> dict[str, Any]:
    """mf2py's parse of ``doc`` (str, bytes or a BeautifulSoup) with ``url`` as its base.

    Metaformats (the fallback to ``<meta>`` tags) are off: a page without
    microformats is a plain page to Beancan, not an implied h-entry.
    """
    import mf2py  # imported here: builds that never read mf2 do not pay for it

    return mf2py.parse(doc=doc, url=url, metaformats=False, html_parser="lxml")


def has_type(item: Any, name: str) -> bool:
    """Whether ``item`` is a parsed microformat of type ``name`` (``"h-entry"``...)."""
    return isinstance(item, dict) and name in (item.get("type") or ())


def entries_with_feed(parsed: dict[str, Any]) -> Iterator[tuple[dict, dict | None]]:
    """Each top-level h-entry and each h-entry of a top-level h-feed, with that feed."""
    for item in parsed.get("items") or ():
        if has_type(item, "h-entry"):
            yield item, None
        elif has_type(item, "h-feed"):
            for child in item.get("children") or ():
                if has_type(child, "h-entry"):
                    yield child, item


def entries(parsed: dict[str, Any]) -> Iterator[dict]:
    """The h-entries of ``entries_with_feed``, in document order."""
    for entry, _feed in entries_with_feed(parsed):
        yield entry


def _as_list(values: Any) -> list[Any]:
    if values is None:
        return []
    return list(values) if isinstance(values, list | tuple) else [values]


def get_text(values: Any, _depth: int = 0) -> str:
    """The first text of a property: a string, a dict's ``value``, an embedded item's name."""
    for value in _as_list(values):
        if isinstance(value, str):
            text = value
        elif isinstance(value, dict):
            text = value.get("value") if isinstance(value.get("value"), str) else ""
            if not text and _depth < MAX_DEPTH:
                text = get_text((value.get("properties") or {}).get("name"), _depth + 1)
        else:
            continue
        if text.strip():
            return text.strip()
    return ""


def get_urls(values: Any, _depth: int = 0) -> list[str]:
    """Every URL of a property, in order: strings, ``{value, alt}``, embedded items' ``url``.

    An embedded item (an h-cite in ``in-reply-to``, an h-card in ``author``)
    gives its ``url`` property, else its ``value``. Returned as written
    (mf2py has made them absolute); callers canonicalize where they compare.
    """
    urls: list[str] = []
    for value in _as_list(values):
        if isinstance(value, str):
            candidates = [value]
        elif isinstance(value, dict):
            nested = (value.get("properties") or {}).get("url")
            candidates = get_urls(nested, _depth + 1) if nested and _depth < MAX_DEPTH else []
            if not candidates and isinstance(value.get("value"), str):
                candidates = [value["value"]]
        else:
            continue
        urls += [c.strip() for c in candidates if c.strip()]
    return urls


def get_url(values: Any) -> str:
    """The first URL of a property, or ""."""
    return next(iter(get_urls(values)), "")


def get_photo(values: Any) -> str:
    """The URL of a ``u-photo``: a string, or mf2py 2's ``{"value": url, "alt": text}``."""
    return get_url(values)


def get_html(values: Any) -> str:
    """The HTML of an ``e-*`` property (``e-content``); "" when it is plain text only."""
    for value in _as_list(values):
        if isinstance(value, dict) and isinstance(value.get("html"), str):
            return value["html"]
    return ""


def get_author(values: Any) -> dict[str, str] | None:
    """The first author as ``{"name", "url", "photo"}``; None when there is none.

    ``author`` may be an h-card, a URL or a bare name (authorship spec §2);
    a string is a URL when it starts with http(s)://, otherwise a name.
    """
    for value in _as_list(values):
        if has_type(value, "h-card"):
            props = value.get("properties") or {}
            return {
                "name": get_text(props.get("name")),
                "url": get_url(props.get("url")),
                "photo": get_photo(props.get("photo")),
            }
        text = get_text([value])
        if not text:
            continue
        if text.lower().startswith(("http://", "https://")):
            return {"name": "", "url": text, "photo": ""}
        return {"name": text, "url": "", "photo": ""}
    return None


def rel_urls(parsed: dict[str, Any], rel: str) -> list[str]:
    """The URLs of ``rel`` links (``rel=me``, ``rel=author``), in document order."""
    return [u for u in (parsed.get("rels") or {}).get(rel) or () if isinstance(u, str)]
