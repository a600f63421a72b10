"""Bluesky rich text: post text plus facets (links, mentions, tags) → safe HTML.

Facets index the text by UTF-8 *byte* offsets
(https://docs.bsky.app/docs/advanced-guides/post-richtext), so the text is
sliced as bytes: with emoji or accented letters before a link, character
offsets would cut in the wrong place.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from ..sanitize import safe_url

__all__ = ["rich_text_html"]

BLUESKY_WEB = "https://bsky.app"


def _href(feature: Any) -> str:
    if not isinstance(feature, dict):
        return ""
    kind = feature.get("$type")
    if kind == "app.bsky.richtext.facet#link":
        return safe_url(feature.get("uri"))
    if kind == "app.bsky.richtext.facet#mention" and isinstance(feature.get("did"), str):
        return f"{BLUESKY_WEB}/profile/{quote(feature['did'], safe=':')}"
    if kind == "app.bsky.richtext.facet#tag" and isinstance(feature.get("tag"), str):
        return f"{BLUESKY_WEB}/hashtag/{quote(feature['tag'], safe='')}"
    return ""


def _spans(facets: Any, length: int) -> list[tuple[int, int, str]]:
    """Valid, non-overlapping (start, end, href) byte spans, in order."""
    spans = []
    for facet in facets if isinstance(facets, list) else []:
        if not isinstance(facet, dict) or not isinstance(facet.get("index"), dict):
            continue
        start, end = facet["index"].get("byteStart"), facet["index"].get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
            continue
        features = facet.get("features") if isinstance(facet.get("features"), list) else []
        href = next((h for h in map(_href, features) if h), "")
        if href:
            spans.append((start, end, href))
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _text(data: bytes) -> str:
    # errors="replace": a facet that splits a character costs that character only.
    return html.escape(data.decode("utf-8", errors="replace")).replace("\n", "<br>")


def rich_text_html(text: Any, facets: Any) -> str:
    """``<p>`` of the text with each facet a link; everything else escaped."""
    if not isinstance(text, str) or not text:
        return ""
    data = text.encode("utf-8")
    parts, position = [], 0
    for start, end, href in _spans(facets, len(data)):
        parts.append(_text(data[position:start]))
        parts.append(f'<a href="{html.escape(href)}">{_text(data[start:end])}</a>')
        position = end
    parts.append(_text(data[position:]))
    return f"<p>{''.join(parts)}</p>"
