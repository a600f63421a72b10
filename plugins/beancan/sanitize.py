"""The allowlist sanitizer every outside string goes through before a page sees it.

HTML goes through nh3 (ammonia, in Rust): only the tags below survive, links
only with http(s)/mailto, and every link gets ``rel="ugc nofollow noopener"``.
Images are dropped on purpose: a remote image would make the reader's browser
contact a third party.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

from .urls import canonical_url

__all__ = [
    "ALLOWED_TAGS",
    "UGC_REL",
    "clean_html",
    "clean_text",
    "html_to_text",
    "safe_url",
    "truncate_html",
]

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins",
        "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}}
UGC_REL = "ugc nofollow noopener"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: A stored comment is capped: a hostile source cannot grow the store without bound.
MAX_HTML_CHARS = 100_000
MAX_TEXT_CHARS = 300

_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|li|blockquote|pre)>|<br\s*/?>", re.I)


# Built once: configuring ammonia costs more than cleaning a short comment.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=UGC_REL,
    strip_comments=True,
)


def clean_html(value: str) -> str:
    """Sanitized HTML fragment from untrusted HTML."""
    if not value:
        return ""
    return _CLEANER.clean(value[:MAX_HTML_CHARS]).strip()


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept as blank lines."""
    if not value:
        return ""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n\n", value)
    text = html.unescape(nh3.clean(marked, tags=set()))
    paragraphs = (_SPACE.sub(" ", p).strip() for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def clean_text(value: object, limit: int = MAX_TEXT_CHARS) -> str:
    """A one-line label (name, title): no markup, no control characters, capped."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(value: object) -> str:
    """A canonical http(s) URL, or "" for anything else (``javascript:`` and friends)."""
    return canonical_url(str(value)) if value else ""


def truncate_html(value: str, max_chars: int, text_length: int | None = None) -> tuple[str, bool]:
    """Cut sanitized HTML to about ``max_chars`` characters of text, at a block edge.

    Returns the fragment and whether anything was cut. A single block longer
    than the limit falls back to its plain text, cut at a word, so no tag is
    ever left open. ``text_length``, when the caller knows it, saves
    measuring the text of every short comment.
    """
    if (text_length if text_length is not None else len(html_to_text(value))) <= max_chars:
        return value, False
    blocks = re.split(r"(?<=</p>)|(?<=</blockquote>)|(?<=</ul>)|(?<=</ol>)|(?<=</pre>)", value)
    kept: list[str] = []
    used = 0
    for block in blocks:
        size = len(html_to_text(block))
        if used + size > max_chars:
            break
        kept.append(block)
        used += size
    if kept:
        return "".join(kept).strip(), True
    text = html_to_text(value)[:max_chars].rsplit(" ", 1)[0]
    return f"<p>{html.escape(text)}…</p>", True
