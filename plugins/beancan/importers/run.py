"""One import: read the export, match its posts, merge its comments into the store.

Everything that can fail is done before the store is written: the whole
export is read (a hostile or truncated file stops here), the content and
the map file are read, and the store is loaded and merged in memory. Only
then is it saved, once, atomically, and only if something changed, so a
second import of the same file leaves ``data/`` byte for byte as it was.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from ..errors import ExportFileError
from ..moderation import ModerationRules
from ..settings import BeancanSettings, load_settings_file
from ..store import InteractionStore
from ._xml import Progress
from .articles import read_articles, slug_of_url
from .convert import Converted, SiteAuthor, convert_post
from .disqus import read_disqus
from .matching import ArticleIndex, read_map
from .records import Export
from .wordpress import read_wxr

__all__ = ["KINDS", "ImportSummary", "import_export", "run_import"]

logger = logging.getLogger(__name__)

#: ``beancan import KIND``: the reader of each kind of export.
KINDS: dict[str, Callable[[Path, Progress | None], Export]] = {
    "wordpress": read_wxr,
    "disqus": read_disqus,
}


@dataclass
class ImportSummary:
    """What one import did (or, with ``dry_run``, would do)."""

    export: str
    kind: str
    dry_run: bool
    posts_matched: int = 0
    #: (slug, old URL) of each post with comments that matched no article.
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    #: records added to the store, by (kind, status).
    added: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: records already in the store: changed by this export, or as they were.
    updated: int = 0
    unchanged: int = 0
    #: comments not imported, by reason (spam, trash, deleted, unmatched post ...).
    skipped: Counter[str] = field(default_factory=Counter)
    #: whether data/ was written.
    saved: bool = False

    @property
    def imported(self) -> int:
        return sum(self.added.values())

    def rows(self) -> list[tuple[str, str]]:
        """``(what, count)`` rows of the summary table, in reading order."""
        verb = "would be added" if self.dry_run else "added"
        rows = [("posts matched", str(self.posts_matched)),
                ("posts unmatched", str(len(self.unmatched)))]  # fmt: skip
        for (kind, status), count in sorted(self.added.items()):
            label = "comments" if kind == "reply" else "pingbacks/trackbacks"
            rows.append((f"{label} {verb}, {status}", str(count)))
        rows.append(("already in the store, updated", str(self.updated)))
        rows.append(("already in the store, unchanged", str(self.unchanged)))
        for reason, count in sorted(self.skipped.items()):
            rows.append((f"skipped: {reason}", str(count)))
        return rows

    def text(self) -> str:
        """The summary as plain text: the table, then every unmatched post."""
        width = max(len(what) for what, _ in self.rows())
        lines = [f"{what:{width}}  {count:>6}" for what, count in self.rows()]
        if self.unmatched:
            lines.append("")
            lines.append("Unmatched posts (slug, old URL); add them to a --map file:")
            lines += [f"  {slug or '-'}  {url or '-'}" for slug, url in self.unmatched]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


def run_import(
    settings_file: str | PathLike[str],
    kind: str,
    path: str | PathLike[str],
    *,
    dry_run: bool = False,
    map_file: str | PathLike[str] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import the comments of a ``kind`` ("wordpress" or "disqus") export into the store.

    ``settings_file`` is the Pelican settings file of the site (content
    folder, URLs, ``BEANCAN_DATA_DIR``). Raises a BeancanError subclass
    (ConfigError, StoreError, ExportFileError) naming the culprit, in which
    case nothing was written.
    """
    pelican_settings = load_settings_file(settings_file)
    return import_export(
        pelican_settings, kind, Path(path), dry_run=dry_run, map_file=map_file, progress=progress
    )


def import_export(
    pelican_settings: dict,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    map_file: str | PathLike[str] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """``run_import`` for a settings dict already read (the Pelican settings of a site)."""
    reader = KINDS.get(kind)
    if reader is None:
        choices = ", ".join(KINDS)
        raise ExportFileError(f"{path}: unknown export kind {kind!r}; use one of {choices}")
    settings = BeancanSettings.from_pelican(pelican_settings)
    export = reader(path, progress)
    index = ArticleIndex(read_articles(pelican_settings))
    if map_file:
        index.mapped = read_map(Path(map_file), index)
    store = InteractionStore.load(settings.data_dir)
    rules = ModerationRules.load(settings.data_dir)
    summary = ImportSummary(str(path), kind, dry_run, skipped=Counter(export.skipped))
    author = SiteAuthor.from_settings(settings)
    site = settings.site

    def moved_post(url: str) -> bool:
        return site.is_ours(url) and index.match(url, slug_of_url(url)) is not None

    changed = False
    for post in export.posts:
        article = index.match(post.old_url, post.slug)
        if article is None:
            summary.unmatched.append((post.slug, post.old_url))
            summary.skipped["unmatched post"] += len(post.comments)
            continue
        summary.posts_matched += 1
        for item in convert_post(post, article, author, moved_post):
            if not isinstance(item, Converted):
                summary.skipped[item] += 1
                continue
            interaction = item.interaction
            if rules.is_blocked(interaction):
                # The old blog approved it, but a block the author set here since
                # (``moderate --block``) is the newer decision.
                interaction = interaction.with_changes(status="spam")
            result = store.merge(interaction, seen_at=item.seen_at)
            if result.outcome == "new":
                summary.added[(interaction.kind, result.interaction.status)] += 1
            elif result.outcome == "updated":
                summary.updated += 1
            else:
                summary.unchanged += 1
            changed = changed or result.outcome in ("new", "updated")
    if changed and not dry_run:
        store.save()
        summary.saved = True
    logger.info("Imported %s: %s new record(s)", path, summary.imported)
    return summary
