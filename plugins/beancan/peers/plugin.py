"""The ``beancan.peers`` plugin: the peers page, ``blogroll.opml`` and the neighbourhood list.

A generator of its own (``get_generators``). Its ``generate_context`` runs
after Pelican's article and page generators read the content, and puts
``beancan_peers`` and ``beancan_neighbourhood`` into the shared context, so
every template (the home page too) can show them; ``generate_output``
writes the two files. Everything comes from ``data/``: the build is offline.

The store's part of the page (``exchanges.read_exchanges``) needs only the
data files and the peers' keys: it starts when the generator is made, in
the second process when the store is big (``beancan.background``), and is
picked up in ``generate_context``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import (
    ArticlesGenerator,
    Generator,
    PagesGenerator,
    PelicanTemplateNotFound,
)

from ..avatar_files import AvatarFiles
from ..background import Background, close_build_jobs, wanted
from ..errors import ConfigError, StoreError
from ..links import post_links
from ..settings import get_settings
from ..site.environment import articles_environment, prepare_environment
from .config import Peer, load_peers
from .exchanges import StoreExchanges, read_exchanges
from .feed_state import load_posts, load_states
from .opml import blogroll_opml
from .peer_views import add_own_links, neighbourhood, peer_views

__all__ = ["BLOGROLL_SAVE_AS", "PEERS_SAVE_AS", "PeersGenerator", "register"]

logger = logging.getLogger(__name__)

PEERS_SAVE_AS = "peers/index.html"
PEERS_URL = "peers/"
BLOGROLL_SAVE_AS = "blogroll.opml"

try:  # the conversations graph names person pages; use its slugs when it is there
    from ..graph.build import person_slug
except ImportError:  # pragma: no cover - the graph package is part of Beancan

    def person_slug(url: str) -> str:
        from ..urls import url_key

        return "".join(c if c.isalnum() else "-" for c in url_key(url).lower()).strip("-")


class PeersGenerator(Generator):
    """Reads peers and their data files; writes the peers page and the blogroll."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.env = articles_environment(self)
        self.views = []
        self._peers: list[Peer] = []
        self._problem: ConfigError | None = None
        self._job: Background[dict[str, StoreExchanges]] | None = None
        settings = get_settings(self.settings)
        try:
            # One bad BEANCAN_PEERS entry costs only that peer, not the page.
            self._peers = load_peers(settings, skip_bad=True)
        except ConfigError as exc:
            self._problem = exc
            return
        if self._peers:
            # Started now, it runs while Pelican reads the posts.
            keys = tuple(peer.key for peer in self._peers)
            self._job = Background(
                read_exchanges,
                Path(settings.data_dir),
                keys,
                enabled=wanted(settings),
                build=self.settings,
            )

    def generate_context(self) -> None:
        settings = get_settings(self.settings)
        self.views = []
        self.avatars = AvatarFiles(settings.data_dir, settings.siteurl)
        job, self._job = self._job, None
        try:
            if self._problem is not None:
                raise self._problem
            peers = self._peers
            states = load_states(settings.data_dir, skip_bad=True)
            posts = load_posts(settings.data_dir, skip_bad=True)
            exchanges = job.result() if job is not None else {}
        except (ConfigError, StoreError) as exc:
            logger.error("%s; the peers page and blogroll are not written until it is fixed", exc)
            peers, states, posts, exchanges = [], {}, {}, {}
        finally:
            if job is not None:
                job.cancel()  # stops it if a data file failed before its result was asked
        date_format = self.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
        siteurl = settings.siteurl
        has_people = any(str(p).endswith("conversations") for p in self.settings.get("PLUGINS", ()))

        def person(peer: Peer) -> tuple[str, str]:
            slug = person_slug(peer.url)
            return slug, f"{siteurl}/conversations/{slug}/" if has_people else ""

        self.views = peer_views(
            peers,
            states=states,
            posts=posts,
            exchanges=exchanges,
            gone_after=settings.blogroll.gone_after,
            date_format=date_format,
            person_url=person,
            avatar=self._avatar,
        )
        self.context["beancan_peers"] = self.views
        self.context["beancan_neighbourhood"] = neighbourhood(
            peers, posts, settings.blogroll.neighbourhood_size, date_format
        )
        self.context["beancan_blogroll_url"] = f"{siteurl}/{BLOGROLL_SAVE_AS}" if peers else ""

    def count_own_links(self, posts: list) -> None:
        """Count our posts' links to each peer, once every generator has read its content.

        Not in ``generate_context``: a post's content read before Pelican has
        read the static files keeps its ``{static}`` links unresolved (Pelican
        remembers the first reading).
        """
        site = get_settings(self.settings).site
        add_own_links(self.views, self._peers, (post_links(p, site).links for p in posts))

    def _avatar(self, peer: Peer, names: tuple[str, ...]) -> str:
        """A cached photo from something they wrote us (newest first), else generated initials."""
        for name in names:
            url = self.avatars.cached(name)
            if url:
                return url
        return self.avatars.initials(peer.name, peer.url)

    def generate_output(self, writer) -> None:
        if not self.views:
            return
        settings = get_settings(self.settings)
        try:
            template = self.get_template("beancan/peers")
        except PelicanTemplateNotFound as exc:
            logger.error("The peers page needs a 'peers' template in the theme: %s", exc)
        else:
            writer.write_file(PEERS_SAVE_AS, template, self.context, relative_urls=False,
                              url=PEERS_URL, peers=self.views)  # fmt: skip
        author = settings.author
        opml = blogroll_opml(
            self.views,
            title=f"{settings.sitename or 'Beancan'}: blogroll",
            owner_name=author.get("name", ""),
            owner_id=author.get("url", "") or f"{settings.siteurl}/",
        )
        output = Path(self.output_path)
        _write_if_changed(output / BLOGROLL_SAVE_AS, opml)
        self.avatars.write(output)


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def get_generators(pelican) -> type[Generator]:
    return PeersGenerator


def count_own_links(generators) -> None:
    """Pelican's ``all_generators_finalized``: our posts' links to peers, now that all is read."""
    posts = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            posts += generator.articles
        elif isinstance(generator, PagesGenerator):
            posts += generator.pages
    for generator in generators:
        if isinstance(generator, PeersGenerator):
            generator.count_own_links(posts)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(count_own_links)
    # The build's second process ends with it (each plugin connects the same, once).
    signals.finalized.connect(close_build_jobs)
    # Its page templates are the package's, rendered with the articles' environment
    # (beancan.site connects the same, once).
    signals.generator_init.connect(prepare_environment)
