"""Write the conversations page, one page per person, and the conversations feed.

A Pelican generator of its own (``get_generators``): its ``generate_output``
runs after every article is read and rendered, so it sees the whole site,
and it writes through Pelican's writer like any other page.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..comments.plugin import RESPONSE_METADATA, metadata_urls
from ..dates import normalize_date
from ..errors import StoreError
from ..graph import OwnPost, PeopleIndex, SentMention, build_graph, read_people
from ..graph.identity import IdentityCache
from ..sanitize import clean_text, html_to_text
from ..settings import BeancanSettings, get_settings
from ..store import load_for_build
from ..urls import SiteURLs
from ..webmention.sentlog import SentLog
from .feed import conversations_feed
from .fragments import table_rows
from .shell import render_pages
from .view import Avatars, build_views

logger = logging.getLogger(__name__)

BASE_PATH = "conversations"
_HREF = re.compile(r'href="([^"]+)"')
_POSITIVE = ("conversations_top", "conversations_per_page", "conversations_recent")
#: sent-log statuses meaning the receiver accepted the notification.
ACCEPTED = ("sent", "pinged")


def own_posts(posts, site: SiteURLs) -> list[OwnPost]:
    """Our Pelican articles and pages as the graph's plain records."""
    found = []
    for post in posts:
        responses = tuple(
            (kind, site.absolute(url))
            for name, kind in RESPONSE_METADATA.items()
            for url in metadata_urls(post, name)
        )
        content = post.content or ""
        found.append(
            OwnPost(
                url=site.absolute(post.url),
                title=clean_text(post.title),
                published=normalize_date(getattr(post, "date", None)),
                text=html_to_text(content),
                responses=responses,
                links=tuple(_HREF.findall(content)),
            )
        )
    return found


def sent_mentions(log: SentLog) -> list[SentMention]:
    """What the sent log says receivers accepted, for links our posts still make."""
    return [
        SentMention(entry.source, entry.target, entry.last_attempt)
        for entry in log
        if entry.status in ACCEPTED and entry.linked and not entry.gone
    ]


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring it as it was afterwards.

    Building the graph and its pages allocates millions of small objects,
    hardly any in a cycle (reference counting frees them). Meanwhile every
    full collection would walk the whole store and graph again (100,000
    records in the bench): that was a third of the plugin's time, for
    nothing to collect.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _checked(settings: BeancanSettings) -> dict[str, int]:
    values = {}
    for name in _POSITIVE:
        value = getattr(settings, name)
        if value < 1:
            default = BeancanSettings.__dataclass_fields__[name].default
            logger.error("Setting BEANCAN_%s must be at least 1; using %s", name.upper(), default)
            value = default
        values[name] = value
    return values


class ConversationsGenerator(Generator):
    """Builds the graph from the store and the site, then writes its pages."""

    def generate_context(self) -> None:
        # Nothing to read: the articles are read by Pelican's own generators,
        # and the graph is built at output time, when they are all final.
        pass

    def generate_output(self, writer) -> None:
        settings = get_settings(self.settings)
        site = settings.site
        try:
            store = load_for_build(settings.data_dir, self.settings)
            records = read_people(settings.data_dir)
            sent = sent_mentions(SentLog.load(settings.data_dir))
        except StoreError as exc:
            logger.error("%s; the conversations pages are not written until it is fixed", exc)
            return
        posts = [
            *self.context.get("articles", ()),
            *self.context.get("hidden_articles", ()),
            *self.context.get("pages", ()),
        ]
        people = PeopleIndex(settings.author_urls, settings.person_aliases, records)
        me_name = settings.author.get("name") or self.settings.get("AUTHOR") or ""
        limits = _checked(settings)
        photo = settings.author.get("photo", "")
        avatars = Avatars(
            settings.data_dir, settings.siteurl, site.absolute(photo) if photo else ""
        )
        # Writing is included: a collection during it would walk the graph too.
        with cycle_collection_paused():
            graph = build_graph(
                store.visible(), own_posts(posts, site), people, me_name=me_name,
                key_of=IdentityCache(site), sent=sent,
            )  # fmt: skip
            view = build_views(
                graph,
                siteurl=settings.siteurl,
                base_path=BASE_PATH,
                date_format=self.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d"),
                avatars=avatars,
                top=limits["conversations_top"],
                recent=limits["conversations_recent"],
            )
            self._write(writer, view, settings, limits["conversations_per_page"])
        avatars.write(Path(self.output_path))

    def _write(self, writer, view, settings: BeancanSettings, per_page: int) -> None:
        feed_path = settings.conversations_feed
        feed_base = self.settings.get("FEED_DOMAIN") or settings.siteurl
        feed_url = f"{feed_base}/{feed_path}" if feed_path else ""
        self._write_index(writer, view, per_page, feed_url)
        self._write_people(view.people, feed_url)
        template = self.get_template("conversation")
        for item in view.all:
            writer.write_file(
                item.save_as, template, self.context, conversation=item.full,
                conversations_feed=feed_url,
            )  # fmt: skip
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

    def _write_people(self, pages: list, feed_url: str) -> None:
        """Every person page, written as Pelican's writer would, from one shell render."""
        template = self.get_template("person")

        def render(page, output_file: str) -> str:
            # Pelican's writer gives the template a copy of the context, plus these.
            local = self.context.copy()
            local["localsiteurl"] = local.get("localsiteurl", None)
            local.update(output_file=output_file, person_page=page, conversations_feed=feed_url)
            return template.render(local)

        save_as = f"{BASE_PATH}/{{slot}}/index.html"
        for page, html in render_pages(
            pages, render, name="person_page", save_as=save_as, slot_of=lambda p: p.slug
        ):
            path = sanitised_join(self.output_path, page.save_as)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(html)
            # As Pelican's writer does, so that sitemap-like plugins see these pages.
            signals.content_written.send(path, context=self.context)

    def _write_index(self, writer, view, per_page: int, feed_url: str) -> None:
        template = self.get_template("conversations")
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
                rows=table_rows(view.rows[(number - 1) * per_page : number * per_page]),
                page_number=number,
                page_count=pages,
                page_url=_page_url,
                conversations_feed=feed_url,
            )


def _page_url(number: int) -> str:
    """Site-relative URL of one page of the relationships table."""
    return f"/{BASE_PATH}/" if number == 1 else f"/{BASE_PATH}/page/{number}/"


def get_generators(pelican) -> type[Generator]:
    return ConversationsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
