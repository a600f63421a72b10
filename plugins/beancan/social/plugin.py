"""The build side: ``Syndication:`` links on each post, and the list collect reads.

At ``all_generators_finalized`` every article and page with ``Syndication:``
metadata gets ``syndication_links`` (``[{"url", "label"}]``, for the
template's "Also on Mastodon · Bluesky"), and the posts whose copies Beancan
can read are written to ``<data>/syndication.jsonl`` (only when it changed).
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from ..dates import normalize_date
from ..errors import StoreError
from ..settings import get_settings
from ..urls import canonical_url, metadata_urls
from .syndication import SyndicatedPost, parse_copy, write_manifest

logger = logging.getLogger(__name__)


def syndication_links(urls: list[str]) -> list[dict[str, str]]:
    """``{"url", "label"}`` for each copy URL: the network's name, or the host."""
    links = []
    for url in urls:
        clean = canonical_url(url)
        if not clean:
            continue
        copy = parse_copy(clean)
        label = copy.label if copy else clean.split("/")[2]
        links.append({"url": clean, "label": label})
    return links


def on_generators_finalized(generators: list[Any]) -> None:
    posts: list[SyndicatedPost] = []
    settings = None
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            documents = generator.articles + generator.translations
        elif isinstance(generator, PagesGenerator):
            documents = generator.pages + generator.translations
        else:
            continue
        settings = settings or get_settings(generator.settings)
        for document in documents:
            urls = metadata_urls(document.metadata, "syndication")
            if not urls:
                continue
            document.syndication_links = syndication_links(urls)
            copies = tuple(c for c in (parse_copy(u) for u in urls) if c)
            date = getattr(document, "date", None)
            if copies:
                posts.append(
                    SyndicatedPost(
                        document.url,
                        normalize_date(date),
                        copies,
                    )
                )
    if settings is None:
        return
    try:
        write_manifest(settings.data_dir, posts)
    except (OSError, StoreError) as exc:
        logger.warning("Syndicated posts not listed for collect in %s: %s", settings.data_dir, exc)


def register() -> None:
    signals.all_generators_finalized.connect(on_generators_finalized)
