"""The site plugin's signal wiring: validate settings, add templates, write the link manifest."""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from ..background import Background, close_build_jobs, wanted
from ..settings import BuildOnly, get_settings, take_build_only
from ..webmention.manifest import documents_of, manifest_path, write_link_manifest
from .environment import prepare_environment

logger = logging.getLogger(__name__)

#: where a build keeps its manifest job, in its Pelican settings, until ``finish_link_manifest``.
_MANIFEST_JOB = "_beancan_link_manifest"


def validate_settings(pelican) -> None:
    # Building the settings logs every bad or unknown BEANCAN_ key by name.
    get_settings(pelican.settings)


def start_link_manifest(generators: list[Any]) -> None:
    """Pelican signal ``all_generators_finalized``: start the link manifest of this build.

    Every article and page Pelican publishes counts, hidden ones included
    (they have a URL and readers reach them); drafts do not. Their content
    is rendered and their URLs final now; the targets, the digests and the
    file are worked out beside the build (``background.py``) while Pelican
    writes the pages, and picked up when it has written the articles.
    """
    documents: list[Any] = []
    settings = None
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            documents += generator.articles + generator.translations + generator.hidden_articles
            settings = generator.settings
        elif isinstance(generator, PagesGenerator):
            documents += generator.pages + generator.translations + generator.hidden_pages
            settings = generator.settings
    if settings is None:
        return
    beancan = get_settings(settings)
    path = manifest_path(settings)
    job = Background(
        write_link_manifest,
        path,
        documents_of(documents, beancan.site),
        beancan.siteurl,
        tuple(beancan.site_aliases),
        enabled=wanted(beancan),
        build=settings,
    )
    settings[_MANIFEST_JOB] = BuildOnly((path, job))


def finish_link_manifest(sender: Any, **_: Any) -> None:
    """Pelican signals ``article_writer_finalized`` and ``finalized``: the manifest is written.

    One that cannot be written is logged and the build goes on: only ``send`` needs it.
    """
    settings = getattr(sender, "settings", None)
    if not isinstance(settings, dict):
        return
    started = take_build_only(settings, _MANIFEST_JOB)
    if started is None:
        return
    path, job = started
    try:
        job.result()
    except OSError as exc:
        logger.error("beancan: cannot write the link manifest %s: %s; send needs it", path, exc)


def register() -> None:
    signals.initialized.connect(validate_settings)
    signals.all_generators_finalized.connect(start_link_manifest)
    signals.article_writer_finalized.connect(finish_link_manifest)
    # Should no articles be written, at the end; then the build's second process ends.
    signals.finalized.connect(finish_link_manifest)
    signals.finalized.connect(close_build_jobs)
    signals.generator_init.connect(prepare_environment)
