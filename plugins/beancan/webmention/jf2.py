"""``from_jf2``: one JF2 entry of a Webmention API (webmention.io, our receiver) → Interaction.

The JF2 API (https://github.com/aaronpk/webmention.io#api) gives each
mention as an entry with ``wm-source``, ``wm-target``, ``wm-property`` (which
response property linked us) and the parsed post (``author``, ``content``,
``published``, ``in-reply-to`` ...). Values may be a string, a list or an
object (an h-cite); the helpers here flatten that once, at the boundary.

Deletions: webmention.io never reports them (a periodic full re-sync finds
what vanished). Beancan's receiver reports them in the same feed as an entry
with ``"wm-deleted": true`` (plus ``wm-source``, ``wm-target`` and
``wm-id``); a top-level ``"deleted"`` list of such objects is read too.
"""

from __future__ import annotations

from typing import Any

from ..model import Interaction, make_interaction
from ..urls import url_key

__all__ = ["KIND_BY_PROPERTY", "deletion_of", "from_jf2", "wm_id"]

#: ``wm-property`` → Interaction.kind.
KIND_BY_PROPERTY = {
    "in-reply-to": "reply",
    "like-of": "like",
    "repost-of": "repost",
    "bookmark-of": "bookmark",
    "mention-of": "mention",
    "rsvp": "rsvp",
}
_CHANNEL_BY_PROTOCOL = {"webmention": "webmention", "pingback": "pingback"}


def _text(value: Any) -> str:
    """A plain string from a JF2 value: a string, the first of a list, or an object's value."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("value") or value.get("url") or value.get("name") or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


def _urls(value: Any) -> list[str]:
    """Every URL in a JF2 value: strings, lists, or h-cite objects with a ``url``."""
    values = value if isinstance(value, list) else [value]
    found = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("url") or item.get("value") or ""
            item = item[0] if isinstance(item, list) and item else item
        if isinstance(item, str) and item.strip():
            found.append(item.strip())
    return found


def wm_id(entry: dict[str, Any]) -> int | None:
    """The API's id of an entry, used for ``since_id``; None if it has none."""
    value = entry.get("wm-id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def deletion_of(entry: dict[str, Any]) -> tuple[str, str] | None:
    """``(source, target)`` when the entry reports a deleted mention, else None."""
    if entry.get("wm-deleted") is True:
        source, target = _text(entry.get("wm-source")), _text(entry.get("wm-target"))
        if source and target:
            return source, target
    return None


def from_jf2(entry: dict[str, Any]) -> Interaction:
    """The Interaction one JF2 entry describes; ValueError names what is wrong.

    ``url`` differs from ``wm-source`` when a relay (Bridgy) sent the mention
    for a post elsewhere: the interaction keeps both, and the original post's
    URL and author are what readers see.
    """
    if not isinstance(entry, dict):
        raise ValueError(f"a JF2 entry must be an object, not {type(entry).__name__}")
    source = _text(entry.get("wm-source")) or _text(entry.get("url"))
    target = _text(entry.get("wm-target"))
    prop = _text(entry.get("wm-property"))
    kind = KIND_BY_PROPERTY.get(prop, "mention")
    url = _text(entry.get("url"))
    if url and url_key(url) == url_key(source):
        url = ""
    author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
    content = entry.get("content")
    if isinstance(content, dict):
        content_html = _text(content.get("html")) or _escape(_text(content.get("text")))
    else:
        content_html = _escape(_text(content))
    published = _text(entry.get("published")) or _text(entry.get("wm-received"))
    protocol = _text(entry.get("wm-protocol")) or "webmention"
    return make_interaction(
        source=source,
        target=target,
        kind=kind,
        url=url,
        in_reply_to=_urls(entry.get("in-reply-to")),
        author={
            "name": _text(author.get("name")),
            "url": _text(author.get("url")),
            "photo": _text(author.get("photo")),
        },
        name=_text(entry.get("name")) if kind in ("reply", "mention", "rsvp") else "",
        content_html=_absolute_links(content_html, source)
        if kind in ("reply", "mention", "rsvp")
        else "",
        published=published,
        updated=_text(entry.get("updated")),
        rsvp=_text(entry.get("rsvp")).lower(),
        channels=(_CHANNEL_BY_PROTOCOL.get(protocol, "webmention"),),
    )


def _absolute_links(html: str, base: str) -> str:
    """Relative links in a response are relative to its source, not to our page."""
    if not html or not ("href" in html or "src" in html):
        return html
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    except (lxml.etree.ParserError, ValueError):
        return html
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>") if text else ""
