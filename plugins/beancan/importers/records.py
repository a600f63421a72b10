"""What an export says about its posts and comments, before matching and converting.

Readers (``wordpress.read_wxr``, ``disqus.read_disqus``) give these plain
records; ``convert.py`` turns them into Interactions. Only what Beancan
shows is kept: commenters' e-mail and IP addresses are never read into them,
so no later step can write them anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["OWN_PINGBACK", "SKIP_REASONS", "Export", "OldComment", "OldPost"]

#: A pingback from one of our own posts that moved too: the build shows
#: that post's link as a mention already (``comments.plugin.own_interactions``).
OWN_PINGBACK = "pingback from our own moved post"
#: Why a comment in an export is not imported (counted in the summary).
SKIP_REASONS = ("spam", "trash", "deleted", "unknown status", "unmatched post", "no address",
                OWN_PINGBACK)  # fmt: skip


@dataclass(slots=True)
class OldComment:
    """One comment, pingback or trackback as the old blog kept it."""

    #: the comment's id in the export (``wp:comment_id``, Disqus ``dsq:id``).
    id: str
    #: the id of the comment it answers; "" for a top-level comment.
    parent: str
    #: "reply" for a comment, "mention" for a pingback or trackback.
    kind: str
    #: "approved", "pending", or a reason from SKIP_REASONS.
    status: str
    author_name: str
    author_url: str
    #: written by the post's own author (WXR ``comment_user_id``).
    by_post_author: bool
    #: ISO 8601 UTC ("" when the export gives no usable date).
    published: str
    #: the comment's HTML as the old blog showed it (not yet sanitized).
    content_html: str


@dataclass(slots=True)
class OldPost:
    """One post (or Disqus thread) of the old blog that has comments."""

    old_url: str
    slug: str
    title: str
    comments: list[OldComment] = field(default_factory=list)


@dataclass(slots=True)
class Export:
    """Everything an export file holds that the import needs."""

    posts: list[OldPost] = field(default_factory=list)
    #: comments the reader could not attach to any post, by reason.
    skipped: Counter[str] = field(default_factory=Counter)
