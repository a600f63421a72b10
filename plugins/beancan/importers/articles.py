"""The new site's articles and pages, read the way Pelican reads them.

Matching needs each post's slug and its URL exactly as the build will
write them, and Pelican works both out from metadata, file paths and
settings (``Slug:``, ``ARTICLE_URL``, folder categories, dates). So the
content folder goes through Pelican's own public ``Readers.read_file``
with the ``Article`` and ``Page`` classes, as its generators do, rather
than a second guess at its rules. Only files are read: no signal is sent
and no plugin runs.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..urls import url_key

__all__ = ["SiteArticle", "path_of", "read_articles", "slug_of_url"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SiteArticle:
    """One article or page of the new site."""

    slug: str
    #: absolute URL, as the build links it.
    url: str
    title: str
    source_path: str


def path_of(url: str) -> str:
    """The path of a URL as a matching key: no host, scheme, trailing slash or case.

    ``https://Old.example/2009/05/Post/`` and ``/2009/05/post`` give one key.
    """
    if "://" not in url:
        url = "http://x/" + url.lstrip("/")
    key = url_key(url)
    return "/" + unquote(key.partition("/")[2]).casefold() if key else ""


def slug_of_url(url: str) -> str:
    """The slug a post's URL most likely ends in (``/2012/03/my-post/`` → ``my-post``)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return ""
    last = segments[-1]
    return last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php")) else last


def read_articles(settings: dict[str, Any]) -> list[SiteArticle]:
    """Every published article, then every page, of the site ``settings`` describe."""
    from pelican.contents import Article, Page
    from pelican.readers import Readers

    readers = Readers(settings)
    content = Path(settings["PATH"])
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    page_paths = list(settings.get("PAGE_PATHS") or [])
    article_excludes = list(settings.get("ARTICLE_EXCLUDES") or []) + page_paths
    found: list[SiteArticle] = []
    for paths, excludes, cls in (
        (settings.get("ARTICLE_PATHS") or [""], article_excludes, Article),
        (page_paths, list(settings.get("PAGE_EXCLUDES") or []), Page),
    ):
        for relative in _files(content, paths, excludes, settings, readers.extensions):
            try:
                post = readers.read_file(base_path=str(content), path=relative, content_class=cls)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the import
                # Pelican's readers raise whatever their markup library raises;
                # the build names the file the same way and goes on.
                logger.warning("Could not read %s: %s", relative, exc)
                continue
            if getattr(post, "status", "published") == "draft" or not post.slug:
                continue
            found.append(SiteArticle(post.slug, f"{siteurl}/{post.url}", post.title, relative))
    return found


def _files(
    content: Path, paths: list[str], excludes: list[str], settings: dict, extensions
) -> list[str]:
    """Files under ``paths`` (relative to the content folder), as Pelican's generators pick them."""
    ignores = settings.get("IGNORE_FILES") or []
    excluded = {os.path.normpath(content / e) for e in excludes}
    found: set[str] = set()
    for path in paths:
        root = content / path if path else content
        for dirpath, dirs, files in os.walk(root, followlinks=True):
            dirs[:] = sorted(
                d for d in dirs
                if os.path.normpath(os.path.join(dirpath, d)) not in excluded
                and not any(fnmatch.fnmatch(d, i) for i in ignores)
            )  # fmt: skip
            for name in files:
                if any(fnmatch.fnmatch(name, i) for i in ignores):
                    continue
                if name.rpartition(".")[2] in extensions:
                    found.add(os.path.relpath(os.path.join(dirpath, name), content))
    return sorted(found)
