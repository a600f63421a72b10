"""Which new article each old post (or Disqus thread) belongs to.

In this order: the ``--map`` file (the author's word wins), the slug
(``wp:post_name``, which ``pelican-import --wpfile`` writes as ``Slug:``),
then the old permalink's path (for a site whose URLs kept their shape).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from ..errors import ExportFileError
from .articles import SiteArticle, path_of

__all__ = ["ArticleIndex", "MapFileError", "read_map"]

#: A map file bigger than this is not a hand-written list of posts.
MAX_MAP_BYTES = 5_000_000


class MapFileError(ExportFileError):
    """A ``--map`` file line cannot be used."""


class ArticleIndex:
    """The new site's articles by slug and by URL path."""

    def __init__(self, articles: list[SiteArticle]) -> None:
        self.by_slug: dict[str, SiteArticle] = {}
        self.by_path: dict[str, SiteArticle] = {}
        for article in articles:  # articles first, so a page never shadows one
            self.by_slug.setdefault(article.slug.casefold(), article)
            self.by_path.setdefault(path_of(article.url), article)
        self.mapped: dict[str, SiteArticle] = {}

    def find(self, name: str) -> SiteArticle | None:
        """An article by slug, site path or full URL."""
        return self.by_slug.get(unquote(name).strip("/").casefold()) or self.by_path.get(
            path_of(name)
        )

    def match(self, old_url: str, slug: str) -> SiteArticle | None:
        """The article an old post moved to, or None."""
        old_path = path_of(old_url) if old_url else ""
        if old_path and old_path in self.mapped:
            return self.mapped[old_path]
        if slug:
            found = self.by_slug.get(unquote(slug).casefold())
            if found is not None:
                return found
        return self.by_path.get(old_path) if old_path else None


def read_map(path: Path, index: ArticleIndex) -> dict[str, SiteArticle]:
    """``old URL path → article`` from a map file.

    One pair a line, separated by spaces, a tab or a comma: the old URL,
    then the new article's slug, site path or URL. Blank lines and lines
    starting with ``#`` are ignored. Raises MapFileError naming the file and
    line of anything it cannot use, before anything is imported.
    """
    try:
        if path.stat().st_size > MAX_MAP_BYTES:
            raise MapFileError(f"{path}: larger than {MAX_MAP_BYTES} bytes; not a map file")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MapFileError(f"{path}: cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise MapFileError(f"{path}: not UTF-8 text") from exc
    mapped: dict[str, SiteArticle] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        if len(parts) != 2:
            raise MapFileError(f"{path}:{number}: expected 'OLD_URL ARTICLE', got {line!r}")
        old, new = parts
        old_path = path_of(old)
        if not old_path:
            raise MapFileError(f"{path}:{number}: {old!r} is not a URL")
        article = index.find(new)
        if article is None:
            raise MapFileError(
                f"{path}:{number}: no article with the slug, path or URL {new!r} in the content"
            )
        mapped[old_path] = article
    return mapped
