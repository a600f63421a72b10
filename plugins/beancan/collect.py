"""``invoke collect``: run every collector against one store, then save it once.

Collectors (Webmention APIs, peer feeds, ...) are async functions with the
signature of ``Collector``. Each reports per source; a source that fails is
a warning naming it, and what the store already holds is kept: a collector
only ever merges into the store, and the store is written atomically once at
the end.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .http import HttpClient
from .model import Interaction
from .moderation import ModerationRules, initial_status, known_authors
from .settings import BeancanSettings
from .store import InteractionStore, MergeResult, now_iso

__all__ = ["CollectContext", "Collector", "SourceReport", "collect_all"]

logger = logging.getLogger(__name__)


@dataclass
class SourceReport:
    """What one source (an API, a peer's feed) gave in one run."""

    source: str
    new: int = 0
    updated: int = 0
    deleted: int = 0
    failed: str = ""  # the reason, when the source failed

    def count(self, result: MergeResult) -> None:
        if result.outcome == "new":
            self.new += 1
        elif result.outcome == "updated":
            self.updated += 1


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


Collector = Callable[[CollectContext], Awaitable[list[SourceReport]]]


def registered_collectors() -> list[tuple[str, Collector]]:
    """The collectors ``invoke collect`` runs, in order."""
    # Imported here: each collector module imports this one.
    from .graph.collect import collect_people
    from .peers.collect import collect_peer_feeds
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
) -> list[SourceReport]:
    """Run every collector, save the store once, and return the per-source reports."""
    store = InteractionStore.load(settings.data_dir)
    rules = ModerationRules.load(settings.data_dir)
    reports: list[SourceReport] = []
    async with HttpClient.from_settings(settings, **http_overrides) as http:
        context = CollectContext(settings, store, http, rules, full_resync=full_resync)
        if progress is not None:
            context.progress = progress
        for name, collector in registered_collectors():
            logger.debug("collecting from %s", name)
            reports += await collector(context)
    store.save()
    return reports
