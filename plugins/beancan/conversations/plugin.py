"""Write the conversations pages, a page per person and per conversation, and a feed.

A Pelican generator of its own (``get_generators``). Pelican calls its
``generate_context`` once every article and page is read, which gathers our
posts; once every generator has added its part of the context
(``all_generators_finalized``) the frames of the person and conversation
pages are rendered, once each, with markers (``shell.py``), and the graph
starts, in a second process where it can (``compute.py``,
``background.py``), which also writes the thousands of person and
conversation pages from those frames. ``generate_output`` takes the views,
writes the table's pages through Pelican's writer, and checks the first and
last page of each kind against its own render: on any difference it writes
them all itself.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..background import Background, close_build_jobs, wanted
from ..comments.plugin import RESPONSE_METADATA
from ..dates import normalize_date
from ..errors import StoreError
from ..links import post_links
from ..sanitize import clean_text
from ..settings import BeancanSettings, get_settings
from ..site.environment import articles_environment, prepare_environment
from ..site.portable import portable
from ..urls import SiteURLs, metadata_urls
from .compute import (
    BODY_TEMPLATE_NAMES,
    BODY_TEMPLATES,
    Computed,
    GraphInputs,
    PageFrames,
    PostSource,
    checked_pages,
    compute,
    render_bodies,
    sent_mentions,
)
from .feed import conversations_feed
from .shell import NotPlain, PageShell, render_pages, write_page

logger = logging.getLogger(__name__)

BASE_PATH = "conversations"
#: each page kind: its frame, the name its page goes by, its file, the view's list of them.
PAGE_KINDS = (
    ("person", "person_page", f"{BASE_PATH}/{{slot}}/index.html", "people"),
    ("conversation", "conversation_page", f"{BASE_PATH}/c/{{slot}}/index.html", "pages"),
)
_POSITIVE = ("conversations_top", "conversations_per_page", "conversations_recent")
__all__ = ["ConversationsGenerator", "post_sources", "register", "sent_mentions", "start_beside"]


def post_sources(posts, site: SiteURLs) -> list[PostSource]:
    """Our Pelican articles and pages as the graph's plain inputs.

    Reads ``_content``, the HTML as the reader made it: the graph needs
    only the text and the links to other sites, the same before and after
    Pelican resolves ``{static}`` and ``{filename}`` links. The URL is the
    one the comments and the link manifest use (``post_links``).
    """
    found = []
    for post in posts:
        responses = tuple(
            (kind, site.absolute(url))
            for name, kind in RESPONSE_METADATA.items()
            for url in metadata_urls(post.metadata, name)
        )
        found.append(
            PostSource(
                url=post_links(post, site).url,
                title=clean_text(post.title),
                published=normalize_date(getattr(post, "date", None)),
                responses=responses,
                html=getattr(post, "_content", None) or "",
            )
        )
    return found


def _checked(settings: BeancanSettings) -> dict[str, int]:
    values = {}
    for name in _POSITIVE:
        value = settings.lookup(name)
        if value < 1:
            default = BeancanSettings().lookup(name)
            logger.error("Setting BEANCAN_%s must be at least 1; using %s", name.upper(), default)
            value = default
        values[name] = value
    return values


class ConversationsGenerator(Generator):
    """Builds the graph from the store and the site, then writes its pages.

    Pelican runs this generator's ``generate_context`` after its own have
    read every article and page; once every generator has made its part of
    the context (``all_generators_finalized``), the frames of the person and
    conversation pages are rendered once with markers (``shell.py``) and the
    graph starts beside the build (``compute.py``), writing those pages
    there; ``generate_output`` picks it up, checks two pages of each kind
    against Pelican's own render and writes the rest.
    """

    _job: Background[Computed] | None = None
    #: our posts, from generate_context until start takes them.
    _posts: list | None = None
    _limits: dict[str, int] | None = None
    #: the graph's inputs, from start until the pages are written (to compute them again).
    _graph_inputs: GraphInputs | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.env = articles_environment(self)

    def generate_context(self) -> None:
        self._posts = [
            *self.context.get("articles", ()),
            *self.context.get("hidden_articles", ()),
            *self.context.get("pages", ()),
        ]
        self._limits = _checked(get_settings(self.settings))

    def _inputs(self, posts: list, limits: dict[str, int]) -> GraphInputs:
        settings = get_settings(self.settings)
        site = settings.site
        photo = settings.author.get("photo", "")
        return GraphInputs(
            data_dir=Path(settings.data_dir),
            siteurl=settings.siteurl,
            site_aliases=tuple(settings.site_aliases),
            author_urls=settings.author_urls,
            person_aliases=dict(settings.conversations.person_aliases),
            me_name=settings.author.get("name") or self.settings.get("AUTHOR") or "",
            own_avatar=site.absolute(photo) if photo else "",
            base_path=BASE_PATH,
            date_format=self.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d"),
            top=limits["conversations_top"],
            recent=limits["conversations_recent"],
            posts=tuple(post_sources(posts, site)),
            templates=portable(self.env, BODY_TEMPLATE_NAMES),
        )

    def start(self) -> None:
        """Start the graph, and the writing of its pages, beside the build.

        Run at ``all_generators_finalized``: the context the frames print
        (the peers generator's part too) is complete then, and each post's
        URL is worked out already (``post_links``).
        """
        if self._posts is None:
            return
        inputs = self._graph_inputs = self._inputs(self._posts, self._limits)
        self._posts = None
        frames = None
        if inputs.templates is not None:  # else the build renders the bodies, and writes
            feed_url = self._feed_url(get_settings(self.settings))
            shells = {}
            for kind, name, save_as, _ in PAGE_KINDS:
                try:
                    shells[name] = PageShell(self._renderer(kind, name, feed_url), name, save_as)
                except NotPlain as exc:
                    logger.debug("Beancan: %s written in the build: %s", name, exc)
                except Exception as exc:  # noqa: BLE001 - not lost: see below
                    # Earlier than Pelican renders anything: a theme can need what
                    # a plugin adds later (i18n_subsites installs gettext at
                    # get_writer). The build renders the frame at its usual time,
                    # where a real error shows as it always did.
                    logger.debug(
                        "Beancan: %s frame not ready (%r); written in the build", name, exc
                    )
            frames = PageFrames(os.path.abspath(self.output_path), shells)
        enabled = wanted(get_settings(self.settings))
        self._job = Background(
            compute, replace(inputs, frames=frames), enabled=enabled, build=self.settings
        )

    def generate_output(self, writer) -> None:
        self.start()  # already done, unless all_generators_finalized was not sent
        if self._job is None:
            return
        settings = get_settings(self.settings)
        job, self._job = self._job, None
        try:
            computed = job.result()
            self._write(writer, computed, settings, self._limits["conversations_per_page"])
        except StoreError as exc:
            logger.error("%s; the conversations pages are not written until it is fixed", exc)
            return
        finally:
            self._graph_inputs = None
        computed.avatars.write(Path(self.output_path))

    def _feed_url(self, settings: BeancanSettings) -> str:
        feed_path = settings.conversations.feed
        feed_base = self.settings.get("FEED_DOMAIN") or settings.siteurl
        return f"{feed_base}/{feed_path}" if feed_path else ""

    def _write(self, writer, computed: Computed, settings: BeancanSettings, per_page: int) -> None:
        view = computed.view
        feed_path = settings.conversations.feed
        feed_url = self._feed_url(settings)
        self._write_index(writer, view, per_page, feed_url)
        everything: Computed | None = None
        for kind, name, save_as, field in PAGE_KINDS:
            pages = getattr(view, field)
            written = computed.written.get(name)
            differs = written is None or self._differs(pages, kind, name, save_as, feed_url)
            if not differs:
                for path in written:
                    # As Pelican's writer does, so that sitemap-like plugins see these pages.
                    signals.content_written.send(path, context=self.context)
                continue
            if written is not None:
                # The path keeps the message apart from other builds' (Pelican's
                # log filter drops a message it has seen in this process).
                logger.debug("Beancan: %s written beside the build differ from Pelican's "
                             "(%s); rewriting them here", name, differs)  # fmt: skip
                # Only the pages checked came back (Computed): all of them, here.
                everything = everything or compute(self._graph_inputs)
                pages = getattr(everything.view, field)
            self._write_pages(pages, kind, name, save_as, feed_url)
        if feed_path:
            xml = conversations_feed(
                view.newest,
                sitename=settings.sitename,
                siteurl=settings.siteurl,
                feed_url=feed_url,
                page_url=f"{settings.siteurl}/{BASE_PATH}/",
            )
            path = Path(self.output_path) / feed_path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(xml, encoding="utf-8")

    def _renderer(self, kind: str, name: str, feed_url: str) -> Callable[[Any, str], str]:
        """``render(page, output_file)``: one page of ``kind``, as Pelican's writer would."""
        template = self.get_template(f"beancan/{kind}")

        def render(page, output_file: str) -> str:
            # Pelican's writer gives the template a copy of the context, plus these.
            local = self.context.copy()
            local["localsiteurl"] = local.get("localsiteurl", None)
            local.update(output_file=output_file, conversations_feed=feed_url)
            local[name] = page
            return template.render(local)

        return render

    def _differs(self, pages: list, kind: str, name: str, save_as: str, feed_url: str) -> str:
        """The first or last page written beside the build, if not Pelican's own render; "".

        Rendered here in full, contents by Pelican's environment: a frame
        that does more than print values, a context changed since the frame
        was rendered, a content template that differs, each shows here.
        """
        content = self.env.get_template(BODY_TEMPLATES[name])
        render = self._renderer(kind, name, feed_url)
        for page in checked_pages(pages):
            full = msgspec.structs.replace(page, body=_body(content, self.context, name, page))
            path = sanitised_join(self.output_path, page.save_as)
            try:
                with open(path, encoding="utf-8", newline="") as handle:
                    written = handle.read()
            except (OSError, UnicodeDecodeError):
                return path
            if written != render(full, save_as.replace("{slot}", page.slug)):
                return path
        return ""

    def _write_pages(self, pages: list, kind: str, name: str, save_as: str, feed_url: str) -> None:
        """Every person (or conversation) page, written here as Pelican's writer would.

        When the job did not write them (a theme's own templates) or they
        differ from Pelican's render: the contents rendered here when the
        job's are missing or differ, then the frame filled for every page as
        the job does (``shell.py``), or rendered for each when it does more
        than print values.
        """
        content = self.env.get_template(BODY_TEMPLATES[name])
        # The second process rendered the contents when the templates are the
        # package's own (compute.py); one of them, rendered here too, must agree.
        if pages and not (
            pages[0].body and pages[0].body == _body(content, self.context, name, pages[0])
        ):
            if pages[0].body:
                logger.debug("Beancan: %s rendered beside the build differs; rendering here", name)
            render_bodies(pages, name, content.render, self.context)
        render = self._renderer(kind, name, feed_url)
        for page, html in render_pages(
            pages, render, name=name, save_as=save_as, slot_of=lambda p: p.slug
        ):
            path = sanitised_join(self.output_path, page.save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_page(path, html)
            signals.content_written.send(path, context=self.context)

    def _write_index(self, writer, view, per_page: int, feed_url: str) -> None:
        template = self.get_template("beancan/conversations")
        pages = max(1, math.ceil(len(view.rows) / per_page))
        for number in range(1, pages + 1):
            save_as = f"{BASE_PATH}/index.html" if number == 1 else (
                f"{BASE_PATH}/page/{number}/index.html"
            )  # fmt: skip
            writer.write_file(
                save_as,
                template,
                self.context,
                relative_urls=False,
                conversations=view,
                rows=view.rows[(number - 1) * per_page : number * per_page],
                page_number=number,
                page_count=pages,
                page_url=_page_url,
                conversations_feed=feed_url,
            )


def _body(template, context: dict, name: str, page) -> Markup:
    return Markup(template.render(context, **{name: page}))  # autoescaped


def _page_url(number: int) -> str:
    """Site-relative URL of one page of the relationships table."""
    return f"/{BASE_PATH}/" if number == 1 else f"/{BASE_PATH}/page/{number}/"


def get_generators(pelican) -> type[Generator]:
    return ConversationsGenerator


def start_beside(generators) -> None:
    """``all_generators_finalized``: the whole context is there; start the graph."""
    for generator in generators:
        if isinstance(generator, ConversationsGenerator):
            generator.start()


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(start_beside)
    # The build's second process ends with it (each plugin connects the same, once).
    signals.finalized.connect(close_build_jobs)
    # Its page templates are the package's, rendered with the articles' environment
    # (beancan.site connects the same, once).
    signals.generator_init.connect(prepare_environment)
