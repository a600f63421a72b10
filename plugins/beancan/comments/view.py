"""What the comment-section template sees: display-ready values, no HTML written here.

The template (``beancan/comments.html``) writes the markup. Only a
response's content, sanitized again here, is ``Markup``; every other value
is a plain string left to Jinja's autoescape. These are msgspec structs
without garbage-collector tracking: the sections are built in a second
process (``sections.py``) and must cross to the build cheaply.
"""

from __future__ import annotations

import hashlib

import msgspec
from markupsafe import Markup

from ..avatar_files import AvatarFiles
from ..dates import parse_date
from ..model import Interaction
from ..sanitize import clean_html, truncate_html
from ..threads import REACTION_KINDS, Comment, Thread
from ..urls import host_of

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


class PersonView(msgspec.Struct, frozen=True, gc=False):
    """The author of a response, as the template shows them."""

    name: str
    url: str
    avatar: str
    host: str


class CommentView(msgspec.Struct, frozen=True, gc=False):
    """One response; ``children`` are the replies nested under it."""

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
    children: list[CommentView] = []


class Facepile(msgspec.Struct, frozen=True, gc=False):
    kind: str
    label: str
    #: the people shown, as faces.
    people: list[PersonView]
    more: int


class Count(msgspec.Struct, frozen=True, gc=False):
    kind: str
    count: int
    label: str


class CommentSection(msgspec.Struct, frozen=True, gc=False):
    """One post's comment section, as the template ``beancan/comments.html`` shows it."""

    post_url: str
    counts: list[Count]
    total: int
    facepiles: list[Facepile]
    #: the top-level replies, each with its nested replies.
    replies: list[CommentView]
    rsvps: list[CommentView]
    #: shown as "NAME mentioned this in TITLE".
    mentions: list[CommentView]
    webmention_endpoint: str
    #: the whole section as ``beancan/comments.html`` writes it, when it was
    #: rendered ahead in the second process (``prerender.py``); else "".
    rendered: str = ""


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

    def comment(
        self, interaction: Interaction, children: list[CommentView] | None = None, **extra
    ) -> CommentView:
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
            children=children or [],
        )

    def tree(self, comment: Comment) -> CommentView:
        return self.comment(
            comment.interaction,
            [self.tree(child) for child in comment.children],
            is_author=comment.is_author,
            depth=comment.depth,
            context_name=comment.context_name,
            context_url=comment.context_url,
        )


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
            more = max(0, len(people) - facepile_limit)
            facepiles.append(Facepile(kind, FACEPILE_LABELS[kind], shown, more))
    return CommentSection(
        post_url=post_url,
        counts=counts,
        total=thread.total,
        facepiles=facepiles,
        replies=[render.tree(top) for top in thread.replies],
        rsvps=[render.comment(i) for i in thread.rsvps],
        mentions=[render.comment(i) for i in thread.mentions],
        webmention_endpoint=webmention_endpoint,
    )
