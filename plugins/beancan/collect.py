"""``invoke collect``: run every collector against one store, then save it once.

Collectors (Webmention APIs, peer feeds, ...) are async functions with the
signature of ``beancan.collecting.Collector``; this module is their registry
and runner, above them in the import graph. Each reports per source; a source that fails is
a warning naming it, and what the store already holds is kept: a collector
only ever merges into the store, and the store is written atomically once at
the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .collecting import CollectContext, Collector, CollectRun, SourceReport
from .errors import ConfigError, StoreError
from .http import HttpClient
from .moderation import ModerationRules
from .peers.collect import collect_peer_feeds
from .people_collect import collect_people
from .settings import BeancanSettings
from .social.collect import collect_bluesky, collect_mastodon
from .store import InteractionStore
from .webmention.collect import collect_webmention_apis

__all__ = ["collect_all", "registered_collectors"]

logger = logging.getLogger(__name__)


def registered_collectors() -> list[tuple[str, Collector]]:
    """The collectors ``invoke collect`` runs, in order."""
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
