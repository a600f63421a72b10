"""``invoke collect``: run every collector against one store, then save it once.

Collectors (Webmention APIs, peer feeds, ...) are async functions with the
signature of ``Collector``. Each reports per source; a source that fails is
a warning naming it, and what the store already holds is kept: a collector
only ever merges into the store, and the store is written atomically once at
the end.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError, StoreError
from .http import HttpClient
from .model import Interaction
from .moderation import ModerationRules, initial_status, known_authors
from .settings import BeancanSettings
from .store import InteractionStore, MergeResult, now_iso

__all__ = ["CollectContext", "CollectRun", "Collector", "SourceReport", "collect_all"]

logger = logging.getLogger(__name__)


@dataclass
class SourceReport:
    """What one source (an API, a peer's feed) gave in one run."""

    source: str
    new: int = 0
    updated: int = 0
    deleted: int = 0
    failed: str = ""  # the reason, when the source failed
    #: items this source offered that were not stored, by cause ("no target", ...).
    skipped: Counter[str] = field(default_factory=Counter)

    def count(self, result: MergeResult) -> None:
        if result.outcome == "new":
            self.new += 1
        elif result.outcome == "updated":
            self.updated += 1

    def skip(self, cause: str, what: str, detail: object = "") -> None:
        """Count one item not stored, and say which and why in the log."""
        self.skipped[cause] += 1
        logger.warning("%s: %s skipped (%s): %s", self.source, what, cause, detail)


@dataclass
class CollectRun:
    """One run of every collector: the per-source reports and what they add up to.

    Iterating gives the reports, so callers may treat it as their list.
    """

    reports: list[SourceReport] = field(default_factory=list)

    def __iter__(self) -> Iterator[SourceReport]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __getitem__(self, index: int) -> SourceReport:
        return self.reports[index]

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.reports if r.failed]

    def exit_code(self, strict: bool = False) -> int:
        """The process's exit status for this run (README "Exit status").

        0 when collect ran, whatever single sources did: their failures are
        in the table and the log (one peer is always down somewhere, and a
        nightly ``collect && publish`` must still publish). 1 when it could
        not do its work: every source failed (no network at all), or, with
        ``strict``, any source failed. (Bad settings or an unreadable store
        stop collect before it runs; the caller exits 1 for those.)
        """
        failed = self.failed
        if failed and (strict or len(failed) == len(self.reports)):
            return 1
        return 0


@dataclass
class CollectContext:
    """What every collector gets: settings, the store, an HTTP client, moderation."""

    settings: BeancanSettings
    store: InteractionStore
    http: HttpClient
    rules: ModerationRules
    full_resync: bool = False
    peer_hosts: set[str] = field(default_factory=set)
    #: called with (description, advance) so the task can show a progress bar.
    progress: Callable[[str, int], None] = lambda _description, _advance: None
    started: str = field(default_factory=now_iso)
    _known: set[str] | None = None

    def add(self, interaction: Interaction, report: SourceReport) -> MergeResult:
        """Merge one collected interaction, choosing its moderation status if new."""
        if self._known is None:
            self._known = known_authors(self.store)
        status = initial_status(
            interaction,
            policy=self.settings.moderation,
            rules=self.rules,
            known=self._known,
            peer_hosts=self.peer_hosts,
        )
        result = self.store.merge(interaction.with_changes(status=status), self.started)
        report.count(result)
        return result

    def try_add(self, interaction: Interaction, report: SourceReport) -> MergeResult | None:
        """``add``, or None with the item counted as skipped if the store refuses it."""
        try:
            return self.add(interaction, report)
        except ValueError as exc:
            report.skip("not storable", interaction.source[:200], exc)
            return None


Collector = Callable[[CollectContext], Awaitable[list[SourceReport]]]


def registered_collectors() -> list[tuple[str, Collector]]:
    """The collectors ``invoke collect`` runs, in order."""
    # Imported here: each collector module imports this one.
    from .peers.collect import collect_peer_feeds
    from .people_collect import collect_people
    from .social.collect import collect_bluesky, collect_mastodon
    from .webmention.collect import collect_webmention_apis

    return [
        ("webmention APIs", collect_webmention_apis),
        ("peer feeds", collect_peer_feeds),
        ("Mastodon copies", collect_mastodon),
        ("Bluesky copies", collect_bluesky),
        # Last: the store then holds everyone whose home page is worth a look.
        ("people's home pages", collect_people),
    ]


async def collect_all(
    settings: BeancanSettings,
    *,
    full_resync: bool = False,
    progress: Callable[[str, int], None] | None = None,
    **http_overrides: Any,
) -> CollectRun:
    """Run every collector, save the store, and return the per-source reports.

    Raises BeancanError only when collect cannot run at all (the store or
    the moderation rules cannot be read). Anything one collector raises
    costs only that collector: it is a failed line in the table, and what
    the others (and it, before failing) merged is saved.
    """
    store = InteractionStore.load(settings.data_dir)
    rules = ModerationRules.load(settings.data_dir)
    run = CollectRun()
    async with HttpClient.from_settings(settings, **http_overrides) as http:
        context = CollectContext(settings, store, http, rules, full_resync=full_resync)
        if progress is not None:
            context.progress = progress
        try:
            for name, collector in registered_collectors():
                logger.debug("collecting from %s", name)
                try:
                    run.reports += await collector(context)
                except (ConfigError, StoreError):
                    raise  # collect cannot do what it was asked: the task stops
                except Exception as exc:  # noqa: BLE001 - one collector's bug costs only it
                    logger.warning(
                        "Collecting from %s stopped: %s: %s", name, type(exc).__name__, exc
                    )
                    run.reports.append(SourceReport(name, failed=f"{type(exc).__name__}: {exc}"))
        finally:
            # Even when a setting stops the run: what was merged before is kept.
            store.save()
    return run
