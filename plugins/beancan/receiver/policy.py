"""The receiver's moderation rules: the store's rules, the settings' lists, the receiver's own.

The same policy as the store (``BEANCAN_MODERATION``: open / known / manual,
see ``beancan.moderation``) decides a verified mention's first status. Rules
come from three places, merged: ``<data>/moderation.jsonl`` when the receiver
runs beside the site's data, the settings' trusted and blocked domain lists,
and decisions taken with ``invoke moderate --receiver`` (kept in the
receiver's database, so they work where the data folder is not).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from ..errors import StoreError
from ..moderation import RULES_FILE, ModerationRules, normalize_rule_value
from ..settings import BeancanSettings
from .storage import Storage

__all__ = ["RuleBook", "domain_blocked"]

logger = logging.getLogger(__name__)

#: Rules are re-read this often, so a decision taken while the receiver runs applies soon.
REFRESH_SECONDS = 5.0


class RuleBook:
    """The merged rules, re-read at most every ``REFRESH_SECONDS``."""

    def __init__(self, settings: BeancanSettings, storage: Storage) -> None:
        self.settings = settings
        self.storage = storage
        self._rules = ModerationRules()
        self._loaded = float("-inf")

    async def current(self) -> ModerationRules:
        if time.monotonic() - self._loaded > REFRESH_SECONDS:
            await self.refresh()
        return self._rules

    async def refresh(self) -> None:
        rules = ModerationRules()
        path = Path(self.settings.data_dir) / RULES_FILE
        if path.is_file():
            try:
                rules = ModerationRules.load(self.settings.data_dir)
            except StoreError as exc:
                logger.warning("%s; the receiver ignores that file until it is fixed", exc)
        for domain in self.settings.receiver.trusted_domains:
            rules.add("trust", "domain", domain)
        for domain in self.settings.receiver.blocked_domains:
            rules.add("block", "domain", domain)
        for action, kind, value in await self.storage.rules():
            (rules.blocked if action == "block" else rules.trusted)[kind].add(value)
        self._rules = rules
        self._loaded = time.monotonic()


def domain_blocked(rules: ModerationRules, host: str) -> bool:
    """Whether ``host`` (or a parent domain of it) is blocked."""
    host = normalize_rule_value("domain", host.split(":")[0])
    return any(host == d or host.endswith("." + d) for d in rules.blocked["domain"])
