"""The link manifest: each post's and page's outgoing links, written by the build for ``send``.

The build has every published document in hand, rendered, with its final
URL; it writes what ``send`` needs (URL, targets, content hash) to
``CACHE_PATH/beancan-links.jsonl``, and ``send`` reads that file instead of
running Pelican's generators a second time.

Where: Pelican's ``CACHE_PATH``, resolved as Pelican resolves it (relative to
the settings file when set there, else to the current folder), not
``OUTPUT_PATH`` and not ``BEANCAN_DATA_DIR``:

* nothing is published: the output tree stays byte for byte what it was,
  and the manifest, which lists hidden (unlisted) pages too, stays private;
* nothing churns in git: ``data/`` is committed, and a development build
  (local ``SITEURL``) followed by a production one would rewrite it each time;
* it describes the last build, which is what was published when ``send``
  runs after ``publish``; a manifest from a build with another ``SITEURL``
  is refused, naming both.

Only the content counts, never the theme's chrome (navigation, blogroll) nor
the comments shown under a post: sending to those would Webmention every
commenter. Deleted posts need nothing here: ``plan_jobs`` finds them as
sources in the sent log missing from the manifest (Webmention §3.1.4).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import StoreError
from ..files import read_jsonl, write_jsonl
from ..links import post_links
from ..settings import settings_folder
from ..urls import SiteURLs, is_http_url, metadata_urls
from .sources import RESPONSE_PROPERTIES, OutgoingSource, source_from_parts

__all__ = [
    "MANIFEST_FILE",
    "ManifestError",
    "Document",
    "document_sources",
    "documents_of",
    "manifest_path",
    "read_manifest",
    "write_link_manifest",
    "write_manifest",
]

logger = logging.getLogger(__name__)

MANIFEST_FILE = "beancan-links.jsonl"
MANIFEST_KIND = "links"


class ManifestError(StoreError):
    """The link manifest is missing, unreadable, or from a build with other settings."""


def manifest_path(pelican_settings: dict[str, Any]) -> Path:
    """Where the build writes the manifest: ``CACHE_PATH/beancan-links.jsonl``.

    A relative ``CACHE_PATH`` (Pelican's default ``cache`` among them) is
    taken from the settings file's folder, like ``BEANCAN_DATA_DIR``, so a
    build run from another folder neither litters it nor loses the manifest.
    """
    cache = Path(pelican_settings.get("CACHE_PATH") or "cache")
    if not cache.is_absolute() and (folder := settings_folder(pelican_settings)) is not None:
        cache = folder / cache
    return cache / MANIFEST_FILE


class Document(NamedTuple):
    """What the manifest needs of one Pelican article or page: plain values, picklable."""

    url: str
    title: str
    content: str
    responds_to: tuple[str, ...]
    links: tuple[str, ...]


def documents_of(documents: Iterable[Any], site: SiteURLs) -> list[Document]:
    """The manifest's view of Pelican articles and pages: rendered content and metadata."""
    found = []
    for doc in documents:
        responds = [u for name in RESPONSE_PROPERTIES for u in metadata_urls(doc.metadata, name)]
        url, links = post_links(doc, site)
        found.append(Document(url, doc.title, doc.content, tuple(responds), links))
    return found


def document_sources(documents: Iterable[Document], site: SiteURLs) -> list[OutgoingSource]:
    """An OutgoingSource per document, sorted by URL (the last of one URL wins)."""
    sources = {
        doc.url: source_from_parts(
            doc.url, doc.content, doc.responds_to, site, doc.title, doc.links
        )
        for doc in documents
    }
    return [sources[url] for url in sorted(sources)]


def write_link_manifest(
    path: Path, documents: list[Document], siteurl: str, aliases: tuple[str, ...]
) -> None:
    """Work out every document's targets and digest and write the manifest (OSError if not).

    A plain function of picklable arguments: the build runs it beside
    itself (``background.py``) while Pelican writes the pages.
    """
    write_manifest(path, document_sources(documents, SiteURLs(siteurl, aliases)))


def write_manifest(path: Path, sources: Iterable[OutgoingSource]) -> None:
    """Atomically write the manifest, sorted by source: same build, same bytes."""
    records = [
        {"source": s.url, "targets": list(s.targets), "digest": s.digest}
        for s in sorted(sources, key=lambda s: s.url)
    ]
    write_jsonl(path, MANIFEST_KIND, records)


def read_manifest(path: Path, site: SiteURLs) -> list[OutgoingSource]:
    """The sources the last build wrote; ManifestError naming the file if it cannot serve."""
    if not path.is_file():
        raise ManifestError(
            f"{path}: no link manifest; build the site first (invoke build or pelican -s "
            "with the same settings file, plugin beancan.site on), then send"
        )
    sources = []
    for number, record in read_jsonl(path, MANIFEST_KIND):
        where = f"{path}:{number}"
        url, targets, digest = record.get("source"), record.get("targets"), record.get("digest")
        if not isinstance(url, str) or not is_http_url(url):
            raise ManifestError(f"{where}: 'source' is not an http(s) URL: {url!r}")
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ManifestError(f"{where}: 'targets' is not a list of URLs")
        if not isinstance(digest, str):
            raise ManifestError(f"{where}: 'digest' is not a string")
        if not site.is_ours(url):
            raise ManifestError(
                f"{where}: built for another site ({url} is not under {site.siteurl}); "
                "build with the settings file you send with, then send"
            )
        sources.append(OutgoingSource(url, tuple(targets), digest))
    return sources
