"""WordPress eXtended RSS (WXR 1.0–1.2, as WordPress 4–6 export it) → old comments.

An export is an RSS ``channel`` with ``wp:author`` elements (login ↔ id)
and one ``item`` per post, page or attachment, each with its
``wp:comment`` elements. Only items with comments are kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from ..dates import normalize_date, parse_date
from ..errors import ExportFileError
from ._xml import Progress, child_texts, iter_elements, local_name, namespace
from .records import Export, OldComment, OldPost

__all__ = ["read_wxr"]

#: WXR 1.0, 1.1 and 1.2 put their elements in ``http://wordpress.org/export/1.x/``.
_WP_NAMESPACE = "http://wordpress.org/export/"
#: ``wp:comment_approved`` → Beancan status (or why it is skipped).
_STATUSES = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending",
             "spam": "spam", "trash": "trash", "post-trashed": "trash"}  # fmt: skip
_ZERO_DATE = "0000-00-00 00:00:00"


def read_wxr(path: Path, progress: Progress | None = None) -> Export:
    """The posts with comments in a WXR file; raises ExportFileError if it is not one."""
    export = Export()
    authors: dict[str, str] = {}  # login → user id
    seen_channel = False
    for element in iter_elements(path, {"channel": 1, "author": 2, "item": 2}, progress):
        name = local_name(element.tag)
        if name == "channel":
            seen_channel = True
        elif name == "author":
            if not namespace(element.tag).startswith(_WP_NAMESPACE):
                continue  # not a wp:author
            fields = child_texts(element)
            authors[fields.get("author_login", "")] = fields.get("author_id", "")
        elif name == "item":
            post = _item(element, authors)
            if post is not None:
                export.posts.append(post)
    if not seen_channel:
        raise ExportFileError(f"{path}: not a WordPress export (no RSS <channel>)")
    return export


def _item(item: etree._Element, authors: dict[str, str]) -> OldPost | None:
    comments = [c for c in item if local_name(c.tag) == "comment"]
    if not comments:
        return None
    fields = child_texts(item)
    link = fields.get("link", "")
    post_author_id = authors.get(fields.get("creator", ""), "")
    offset = _local_offset(fields.get("post_date", ""), fields.get("post_date_gmt", ""))
    post = OldPost(old_url=link, slug=fields.get("post_name", ""), title=fields.get("title", ""))
    for element in comments:
        c = child_texts(element)
        comment_id = c.get("comment_id", "")
        kind = "mention" if c.get("comment_type") in ("pingback", "trackback") else "reply"
        user_id = c.get("comment_user_id", "0")
        post.comments.append(
            OldComment(
                id=comment_id,
                parent="" if c.get("comment_parent", "0") in ("", "0") else c["comment_parent"],
                kind=kind,
                status=_STATUSES.get(c.get("comment_approved", ""), "unknown status"),
                author_name=c.get("comment_author", ""),
                author_url=c.get("comment_author_url", ""),
                by_post_author=bool(post_author_id)
                and user_id not in ("", "0")
                and user_id == post_author_id,
                published=_comment_date(c, offset),
                content_html=autop(c.get("comment_content", "")),
            )  # fmt: skip
        )
    return post


def _local_offset(local: str, gmt: str) -> timedelta | None:
    """The blog's UTC offset at the post's date (post_date − post_date_gmt), if known."""
    if not local or not gmt or gmt == _ZERO_DATE:
        return None
    try:
        return datetime.fromisoformat(local) - datetime.fromisoformat(gmt)
    except ValueError:
        return None


def _comment_date(fields: dict[str, str], offset: timedelta | None) -> str:
    """UTC from ``comment_date_gmt``.

    Old WordPress versions (and some importers) left the GMT date as
    ``0000-00-00 00:00:00``; the local ``comment_date`` is used then, moved
    to UTC by the post's own local/GMT difference when the item has one,
    else taken as UTC.
    """
    gmt = fields.get("comment_date_gmt", "")
    if gmt and gmt != _ZERO_DATE:
        return normalize_date(gmt)
    local = parse_date(fields.get("comment_date", ""))
    if local is None:
        return ""
    return normalize_date(local - offset if offset is not None else local)


def autop(text: str) -> str:
    """WordPress's display of a comment: blank lines make paragraphs, newlines breaks.

    Comments are stored as typed, and WordPress adds the paragraphs when it
    shows them (``wpautop``); this does the same for plain text and leaves
    text that already has paragraphs alone.
    """
    text = text.replace("\r\n", "\n").strip()
    if not text or "<p" in text.lower():
        return text
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
