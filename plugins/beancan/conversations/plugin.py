"""Write the conversations pages, a page per person and per conversation, and a feed.

A Pelican generator of its own (``get_generators``). Pelican calls its
``generate_context`` once every article and page is read: the graph starts
then, in a second process where it can (``compute.py``, ``background.py``);
``generate_output`` takes the views and writes the pages: the table's
through Pelican's writer, the thousands of person and conversation pages
from one render of their frame (``shell.py``) around contents rendered
beside the build.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..background import Background, wanted
from ..comments.plugin import RESPONSE_METADATA
from ..dates import normalize_date
from ..errors import StoreError
from ..sanitize import clean_text
from ..settings import BeancanSettings, get_settings
from ..site.portable import portable
from ..site.templates import add_package_templates
from ..urls import SiteURLs, metadata_urls
from .compute import (
    BODY_TEMPLATE_NAMES,
    BODY_TEMPLATES,
    Computed,
    GraphInputs,
    PostSource,
    compute,
    render_bodies,
    sent_mentions,
)
from .feed import conversations_feed
from .shell import render_pages

logger = logging.getLogger(__name__)

BASE_PATH = "conversations"
_POSITIVE = ("conversations_top", "conversations_per_page", "conversations_recent")
__all__ = ["ConversationsGenerator", "post_sources", "register", "sent_mentions"]


def post_sources(posts, site: SiteURLs) -> list[PostSource]:
    """Our Pelican articles and pages as the graph's plain inputs.

    Reads ``_content``, the HTML as the reader made it: this runs as soon as
    the articles are read, before the static files are, and ``content``
    would resolve ``{static}`` links then, and remember them unresolved.
    The graph needs only the text and the links to other sites, which are
    the same in both.
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
                url=site.absolute(post.url),
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
    read every article and page: the graph starts then, beside the build
    (``compute.py``), and ``generate_output`` picks it up to write the pages.
    """

    _job: Background[Computed] | None = None
    _per_page: int = 1

    def generate_context(self) -> None:
        settings = get_settings(self.settings)
        site = settings.site
        posts = [
            *self.context.get("articles", ()),
            *self.context.get("hidden_articles", ()),
            *self.context.get("pages", ()),
        ]
        limits = _checked(settings)
        self._per_page = limits["conversations_per_page"]
        photo = settings.author.get("photo", "")
        inputs = GraphInputs(
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
        self._job = Background(compute, inputs, enabled=wanted(settings))

    def generate_output(self, writer) -> None:
        if self._job is None:
            return
        settings = get_settings(self.settings)
        job, self._job = self._job, None
        try:
            computed = job.result()
        except StoreError as exc:
            logger.error("%s; the conversations pages are not written until it is fixed", exc)
            return
        self._write(writer, computed.view, settings, self._per_page)
        computed.avatars.write(Path(self.output_path))

    def _write(self, writer, view, settings: BeancanSettings, per_page: int) -> None:
        feed_path = settings.conversations.feed
        feed_base = self.settings.get("FEED_DOMAIN") or settings.siteurl
        feed_url = f"{feed_base}/{feed_path}" if feed_path else ""
        self._write_index(writer, view, per_page, feed_url)
        self._write_pages(view.people, "person", "person_page", f"{BASE_PATH}/{{slot}}/index.html",
                          feed_url)  # fmt: skip
        self._write_pages(view.pages, "conversation", "conversation_page",
                          f"{BASE_PATH}/c/{{slot}}/index.html", feed_url)  # fmt: skip
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

    def _write_pages(self, pages: list, kind: str, name: str, save_as: str, feed_url: str) -> None:
        """Every person (or conversation) page, written as Pelican's writer would.

        Measured on the bench site (2,000 posts, 1,900 conversations, 500
        people): rendering ``base.html`` around each page through the writer
        was most of their time, so the frame ``beancan/<kind>.html`` is
        rendered once (``shell.py``) and only the content per page, from
        ``beancan/partials/<kind>_page.html`` (``person.html`` for people).
        """
        template = self.get_template(f"beancan/{kind}")
        content = self.env.get_template(BODY_TEMPLATES[name])
        # The second process rendered the contents when the templates are the
        # package's own (compute.py); one of them, rendered here too, must agree.
        if pages and not (
            pages[0].body and pages[0].body == _body(content, self.context, name, pages[0])
        ):
            if pages[0].body:
                logger.debug("Beancan: %s rendered beside the build differs; rendering here", name)
            render_bodies(pages, name, content.render, self.context)

        def render(page, output_file: str) -> str:
            # Pelican's writer gives the template a copy of the context, plus these.
            local = self.context.copy()
            local["localsiteurl"] = local.get("localsiteurl", None)
            local.update(output_file=output_file, conversations_feed=feed_url)
            local[name] = page
            return template.render(local)

        for page, html in render_pages(
            pages, render, name=name, save_as=save_as, slot_of=lambda p: p.slug
        ):
            path = sanitised_join(self.output_path, page.save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(html)
            # As Pelican's writer does, so that sitemap-like plugins see these pages.
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


def register() -> None:
    signals.get_generators.connect(get_generators)
    # Its page templates are the package's (beancan.site connects the same, once).
    signals.generator_init.connect(add_package_templates)
