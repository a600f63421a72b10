"""The graph and every view of it, from the data files and our posts: no Pelican objects.

``compute`` is what the plugin runs beside Pelican (``background.py``): it
starts as soon as Pelican has read the content, while Pelican threads the
comments and writes the articles, reads our posts' text and links, builds
the graph, and hands back the views the templates print, with the contents
of the person and conversation pages already rendered when the package's
own templates write them (``site/portable.py``). Given the pages' frames
(``PageFrames``: each rendered once by the build, with markers, ``shell.py``),
it writes those pages into the output folder too, and hands back their
records without the bodies. Its inputs are plain values, so the result is
the same wherever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..graph import OwnPost, PeopleIndex, SentMention, build_graph, read_people
from ..links import outgoing_links
from ..sanitize import html_to_text
from ..site.portable import PortableTemplates
from ..store import load_for_build
from ..urls import SiteURLs
from ..webmention.sentlog import SentLog
from .records import ConversationsView
from .shell import PageShell, write_pages
from .view import Avatars, build_views

__all__ = [
    "ACCEPTED", "BODY_TEMPLATES", "BODY_TEMPLATE_NAMES", "GraphInputs", "PageFrames", "PostSource",
    "checked_pages", "compute",
    "own_post", "render_bodies", "sent_mentions",
]  # fmt: skip

#: The template that writes each page's content, by the name it knows the page by.
BODY_TEMPLATES = {
    "person_page": "beancan/partials/person.html",
    "conversation_page": "beancan/partials/conversation_page.html",
}
#: Every template those render or import (for ``portable``).
BODY_TEMPLATE_NAMES = (*BODY_TEMPLATES.values(), "beancan/partials/conversation.html")
#: sent-log statuses meaning the receiver accepted the notification.
ACCEPTED = ("sent", "pinged")


@dataclass(frozen=True, slots=True)
class PostSource:
    """One of our posts as the build hands it over: metadata read, content still HTML.

    Reading its text and links (``own_post``) is most of the work a post
    costs the graph, so it happens here, beside the build, not in Pelican's process.
    """

    url: str
    title: str
    published: str
    #: (kind, url) from ``in_reply_to`` / ``like_of`` / ``repost_of`` / ``bookmark_of``.
    responses: tuple[tuple[str, str], ...]
    html: str


def own_post(source: PostSource) -> OwnPost:
    """The graph's record of one of our posts: its plain text and its links."""
    return OwnPost(
        url=source.url,
        title=source.title,
        published=source.published,
        text=html_to_text(source.html),
        responses=source.responses,
        links=tuple(outgoing_links(source.html, source.url)),
    )


@dataclass(frozen=True, slots=True)
class PageFrames:
    """What the job needs to write the person and conversation pages itself."""

    #: Pelican's output folder (absolute).
    output_path: str
    #: each page kind's frame, rendered once with markers, by the name its page goes by.
    shells: dict[str, PageShell]


@dataclass(frozen=True, slots=True)
class GraphInputs:
    data_dir: Path
    siteurl: str
    site_aliases: tuple[str, ...]
    author_urls: tuple[str, ...]
    person_aliases: dict[str, tuple[str, ...]]
    me_name: str
    #: our author's photo, as an absolute URL ("" for none).
    own_avatar: str
    base_path: str
    date_format: str
    top: int
    recent: int
    posts: tuple[PostSource, ...] = field(default=())
    #: how to render the pages' contents here (None: the build renders them).
    templates: PortableTemplates | None = None
    #: where and how to write the pages (None: the build writes them).
    frames: PageFrames | None = None


@dataclass(slots=True)
class Computed:
    """The graph's views; of a page kind written here, only the pages the build checks.

    The build compares the first and last page of each kind it finds
    written with its own render, so ``view.people`` and ``view.pages`` keep
    just those two when the kind is in ``written``: the thousands of others
    need not cross back to the build. Should the check fail, the build
    computes them again itself.
    """

    view: ConversationsView
    #: the avatar files the views use, for the build to write.
    avatars: Avatars
    #: the files written of each page kind, by the name its page goes by (none: not written).
    written: dict[str, list[str]] = field(default_factory=dict)


def sent_mentions(log: SentLog) -> list[SentMention]:
    """What the sent log says receivers accepted, for links our posts still make."""
    return [
        SentMention(entry.source, entry.target, entry.last_attempt)
        for entry in log
        if entry.status in ACCEPTED and entry.linked and not entry.gone
    ]


def compute(inputs: GraphInputs) -> Computed:
    """Read the store, the rel=me cache and the sent log; build the graph and its views.

    With ``inputs.frames`` (and the package's own content templates) it also
    writes the person and conversation pages; their records come back
    without ``body``, and ``Computed.written`` lists their files.
    Raises StoreError when one of the data files cannot be read.
    """
    store = load_for_build(inputs.data_dir)
    records = read_people(inputs.data_dir)
    sent = sent_mentions(SentLog.load(inputs.data_dir))
    site = SiteURLs(inputs.siteurl, inputs.site_aliases)
    people = PeopleIndex(inputs.author_urls, inputs.person_aliases, records)
    avatars = Avatars(inputs.data_dir, inputs.siteurl, inputs.own_avatar)
    graph = build_graph(
        store.visible(), [own_post(p) for p in inputs.posts], people, me_name=inputs.me_name,
        key_of=site.identity, sent=sent,
    )  # fmt: skip
    view = build_views(
        graph,
        siteurl=inputs.siteurl,
        base_path=inputs.base_path,
        date_format=inputs.date_format,
        avatars=avatars,
        top=inputs.top,
        recent=inputs.recent,
    )
    written = {}
    if inputs.templates is not None:
        env = inputs.templates.environment()
        shells = inputs.frames.shells if inputs.frames is not None else {}
        for field_name, name in (("people", "person_page"), ("pages", "conversation_page")):
            pages = getattr(view, field_name)
            template = env.get_template(BODY_TEMPLATES[name])
            render_bodies(pages, name, template.render, {"SITEURL": inputs.siteurl})
            if name in shells:
                paths = write_pages(pages, shells[name], inputs.frames.output_path)
                if paths is not None:
                    written[name] = paths
                    setattr(view, field_name, checked_pages(pages))
    return Computed(view, avatars, written)


def checked_pages(pages: list) -> list:
    """The pages of a kind the build checks against its own render: the first and the last."""
    return list({id(page): page for page in pages[:1] + pages[-1:]}.values())


def render_bodies(pages: list, name: str, render, context: dict) -> None:
    """Set ``body`` of every page to its content template's output.

    ``render`` is the template's (Pelican's, or the one ``portable`` made),
    ``name`` the name the template knows the page by.
    """
    for page in pages:
        page.body = Markup(render(context, **{name: page}))  # autoescaped
