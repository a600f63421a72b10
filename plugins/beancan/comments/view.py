"""What the comment-section template sees: display-ready, already escaped where needed.

Only values that were sanitized at the store boundary are wrapped in
``Markup``; everything else is left to Jinja's autoescape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import msgspec
from markupsafe import Markup

from ..avatars import AvatarFiles
from ..dates import parse_date
from ..model import Interaction
from ..sanitize import clean_html, truncate_html
from ..threads import REACTION_KINDS, Comment, Thread
from ..urls import host_of
from .render import comments_html, facepile_html, mentions_html

__all__ = ["AvatarShelf", "CommentSection", "section_view"]

KIND_LABELS = {
    "reply": ("reply", "replies"),
    "like": ("like", "likes"),
    "repost": ("repost", "reposts"),
    "bookmark": ("bookmark", "bookmarks"),
    "mention": ("mention", "mentions"),
    "rsvp": ("RSVP", "RSVPs"),
}
FACEPILE_LABELS = {"like": "Liked by", "repost": "Reposted by", "bookmark": "Bookmarked by"}


@dataclass(frozen=True, slots=True)
class PersonView:
    name: str
    url: str
    avatar: str
    host: str


@dataclass(slots=True)
class CommentView:
    anchor: str
    url: str
    kind: str
    author: PersonView
    published: str
    published_display: str
    content: Markup
    truncated: bool
    is_author: bool
    depth: int
    in_reply_to: tuple[str, ...]
    context_name: str
    context_url: str
    name: str
    rsvp: str
    children: list[CommentView] = field(default_factory=list)


class Facepile(msgspec.Struct, frozen=True, gc=False):
    kind: str
    label: str
    #: the faces shown, as ``<li>`` items (``render.facepile_html``).
    faces_html: Markup
    more: int


class Count(msgspec.Struct, frozen=True, gc=False):
    kind: str
    count: int
    label: str


class CommentSection(msgspec.Struct, frozen=True, gc=False):
    """One post's comment section, its lists already written as HTML.

    Plain strings and numbers only: it is built in the background process
    (``sections.py``) and must cross to the build cheaply.
    """

    post_url: str
    counts: list[Count]
    total: int
    facepiles: list[Facepile]
    #: ``<li>`` items of the threaded replies, nested (``render.comments_html``); "" for none.
    replies_html: Markup
    rsvps_html: Markup
    #: ``<li>`` items "NAME mentioned this in TITLE" (``render.mentions_html``).
    mentions_html: Markup
    webmention_endpoint: str


class AvatarShelf(AvatarFiles):
    """Picks a local avatar URL for each response's author."""

    def url_for(self, interaction: Interaction) -> str:
        author = interaction.author
        seed = author.url or interaction.permalink
        return self.cached(interaction.avatar) or self.initials(author.name or host_of(seed), seed)


class _Renderer:
    def __init__(
        self, *, avatars: AvatarShelf, date_format: str, max_chars: int, own_avatar: str
    ) -> None:
        self.avatars = avatars
        self.date_format = date_format
        self.max_chars = max_chars
        self.own_avatar = own_avatar

    def person(self, interaction: Interaction, is_author: bool = False) -> PersonView:
        author = interaction.author
        host = host_of(author.url or interaction.permalink)
        avatar = (
            self.own_avatar if is_author and self.own_avatar else self.avatars.url_for(interaction)
        )
        return PersonView(author.name or host, author.url, avatar, host)

    def comment(self, interaction: Interaction, **extra) -> CommentView:
        # Sanitized again here, not only when it entered the store: a store
        # edited by hand must not be able to put markup on a page either.
        content, truncated = truncate_html(
            clean_html(interaction.content_html),
            self.max_chars,
            len(interaction.content_text) if interaction.content_text else None,
        )
        published = interaction.published or interaction.first_seen
        parsed = parse_date(published)
        is_author = extra.pop("is_author", False)
        return CommentView(
            anchor="c-" + hashlib.sha256(interaction.permalink.encode()).hexdigest()[:10],
            url=interaction.permalink,
            kind=interaction.kind,
            author=self.person(interaction, is_author),
            published=published,
            published_display=parsed.strftime(self.date_format) if parsed else "",
            content=Markup(content),  # clean_html above
            truncated=truncated,
            is_author=is_author,
            depth=extra.pop("depth", 1),
            in_reply_to=interaction.in_reply_to,
            context_name=extra.pop("context_name", ""),
            context_url=extra.pop("context_url", ""),
            name=interaction.name,
            rsvp=interaction.rsvp,
        )

    def tree(self, comment: Comment) -> CommentView:
        view = self.comment(
            comment.interaction,
            is_author=comment.is_author,
            depth=comment.depth,
            context_name=comment.context_name,
            context_url=comment.context_url,
        )
        view.children = [self.tree(child) for child in comment.children]
        return view


def section_view(
    thread: Thread,
    *,
    post_url: str,
    avatars: AvatarShelf,
    date_format: str,
    max_chars: int,
    facepile_limit: int,
    own_avatar: str,
    webmention_endpoint: str,
) -> CommentSection:
    render = _Renderer(
        avatars=avatars, date_format=date_format, max_chars=max_chars, own_avatar=own_avatar
    )
    counts = [Count(kind, n, KIND_LABELS[kind][n != 1]) for kind, n in thread.counts.items() if n]
    facepiles = []
    for kind in REACTION_KINDS:
        people = thread.reactions.get(kind, [])
        if people:
            shown = [render.person(i) for i in people[:facepile_limit]]
            faces = facepile_html(kind, shown)
            more = max(0, len(people) - facepile_limit)
            facepiles.append(Facepile(kind, FACEPILE_LABELS[kind], faces, more))
    return CommentSection(
        post_url=post_url,
        counts=counts,
        total=thread.total,
        facepiles=facepiles,
        replies_html=comments_html([render.tree(top) for top in thread.replies]),
        rsvps_html=comments_html([render.comment(i) for i in thread.rsvps]),
        mentions_html=mentions_html([render.comment(i) for i in thread.mentions]),
        webmention_endpoint=webmention_endpoint,
    )
