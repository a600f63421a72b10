"""Comment sections from the store alone: the half of the plugin that runs beside Pelican.

``store_sections`` reads the store and builds a comment section (the records
``beancan/comments.html`` shows) for every URL of ours that received
responses, and renders it when it can (``prerender.py``). It needs no
Pelican object, only settings, so the plugin starts it in a process of its
own when the build starts (``background.py``) and Pelican reads the content
meanwhile. Then ``plugin.py`` adds what only the content
knows (our own reply notes, links between our posts) to the few posts they
touch, building those again in the build with the same ``Sectioner``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..model import Interaction
from ..settings import BeancanSettings
from ..store import load_for_build
from ..threads import build_thread
from ..urls import SiteURLs
from .prerender import RenderOptions, Section, render_sections
from .view import AvatarShelf, CommentSection, section_view

__all__ = ["SectionOptions", "Sectioner", "StoreSections", "no_sections", "store_sections"]

_ENCODE = msgspec.msgpack.Encoder()
_DECODE = msgspec.msgpack.Decoder(list[Interaction])


@dataclass(frozen=True, slots=True)
class SectionOptions:
    """What rendering a comment section needs: plain values, picklable."""

    data_dir: Path
    siteurl: str
    site_aliases: tuple[str, ...]
    author_urls: tuple[str, ...]
    own_avatar: str
    date_format: str
    max_depth: int
    max_chars: int
    facepile_limit: int
    webmention_endpoint: str
    #: render the sections too, as the build would (None: the build renders them).
    render: RenderOptions | None = None

    @classmethod
    def of(
        cls, settings: BeancanSettings, date_format: str, render: RenderOptions | None = None
    ) -> SectionOptions:
        photo = settings.author.get("photo", "")
        return cls(
            data_dir=Path(settings.data_dir),
            siteurl=settings.siteurl,
            site_aliases=tuple(settings.site_aliases),
            author_urls=settings.author_urls,
            own_avatar=settings.site.absolute(photo) if photo else "",
            date_format=date_format,
            max_depth=settings.comments.thread_max_depth,
            max_chars=settings.comments.comment_max_chars,
            facepile_limit=settings.comments.facepile_limit,
            webmention_endpoint=settings.webmention_endpoint,
            render=render,
        )


class Sectioner:
    """Renders comment sections, sharing one avatar shelf."""

    def __init__(self, options: SectionOptions, avatars: AvatarShelf) -> None:
        self.options = options
        self.avatars = avatars
        self.site = SiteURLs(options.siteurl, options.site_aliases)
        self._author_keys = {self.site.identity(u) for u in options.author_urls}

    def is_author(self, interaction: Interaction) -> bool:
        return (
            "own" in interaction.channels
            or self.site.identity(interaction.author.url) in self._author_keys
        )

    def section(
        self, post_key: str, interactions: list[Interaction], post_url: str = ""
    ) -> CommentSection:
        options = self.options
        thread = build_thread(
            {post_key},
            interactions,
            max_depth=options.max_depth,
            is_author=self.is_author,
            key_of=self.site.identity,
        )
        return section_view(
            thread,
            post_url=post_url,
            avatars=self.avatars,
            date_format=options.date_format,
            max_chars=options.max_chars,
            facepile_limit=options.facepile_limit,
            own_avatar=options.own_avatar,
            webmention_endpoint=options.webmention_endpoint,
        )


@dataclass(slots=True)
class StoreSections:
    """Every section the store alone gives, keyed by the identity of the post's URL."""

    #: post key → its section, ``post_url`` left for the build to fill in
    #: (rendered ahead, when they could be: ``prerender.py``).
    sections: dict[str, Section]
    #: post key → its responses, for the few posts our own posts add to. As
    #: msgpack once they have crossed from the second process (``__reduce__``),
    #: decoded only for those posts.
    responses: dict[str, list[Interaction] | bytes]
    #: identity of a response's URL (and source) → the post key it responded to.
    index: dict[str, str]
    avatars: AvatarShelf
    #: what stands for the post's URL in the sections rendered ahead ("": none are).
    marker: str = ""
    #: the section of a post without responses (rendered ahead too, when the rest are).
    empty: Section | None = None
    _taken: dict[str, list[Interaction]] = field(default_factory=dict)

    def responses_of(self, post_key: str) -> list[Interaction]:
        """The store's responses to one post, as a list of its own the caller may add to."""
        found = self._taken.get(post_key)
        if found is None:
            data = self.responses.get(post_key) or []
            found = _DECODE.decode(data) if isinstance(data, bytes) else list(data)
            self._taken[post_key] = found
        return found

    def __reduce__(self):
        # Pickled to cross between processes: tens of thousands of records as
        # msgpack bytes cost a fraction of pickling them one by one.
        responses = {
            key: found if isinstance(found, bytes) else _ENCODE.encode(found)
            for key, found in self.responses.items()
        }
        state = (self.sections, responses, self.index, self.avatars, self.marker, self.empty)
        return (StoreSections, state)


def store_sections(options: SectionOptions) -> StoreSections:
    """Read the store and render the section of every URL of ours it has responses for.

    Raises StoreError when the store cannot be read.
    """
    store = load_for_build(options.data_dir)
    sectioner = Sectioner(options, AvatarShelf(options.data_dir, options.siteurl))
    grouped: dict[str, list[Interaction]] = defaultdict(list)
    index: dict[str, str] = {}
    identity = sectioner.site.identity
    for interaction in store.visible():
        if interaction.direction != "in":
            continue
        post_key = identity(interaction.target)
        if not post_key.startswith("@site"):
            continue
        grouped[post_key].append(interaction)
        index[identity(interaction.permalink)] = post_key
        index[identity(interaction.source)] = post_key
    sections = {key: sectioner.section(key, found) for key, found in grouped.items()}
    empty, marker = sectioner.section("", []), ""
    if options.render is not None:
        # "" is no post's key (ours start with "@site"): the empty section's place.
        sections = render_sections({**sections, "": empty}, options.render)
        empty, marker = sections.pop(""), options.render.marker
    return StoreSections(sections, dict(grouped), index, sectioner.avatars, marker, empty)


def no_sections(options: SectionOptions) -> StoreSections:
    """What the build shows when the store cannot be read: no responses anywhere."""
    return StoreSections({}, {}, {}, AvatarShelf(options.data_dir, options.siteurl))
