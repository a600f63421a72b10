"""``invoke moderate --receiver``: list, approve and block in the receiver's database.

Decisions are kept as rules in the receiver (so they apply to what arrives
later, wherever the receiver runs) and applied at once to verified
mentions; each change takes a new revision, so the next ``invoke collect``
sees approvals as new entries and blocks as deletions.
"""

from __future__ import annotations

import asyncio

from ..errors import ConfigError
from ..model import interaction_from_record
from ..moderation import RULE_KINDS, matches, normalize_rule_value
from ..settings import BeancanSettings
from .backends import database_url, open_storage
from .storage import Mention, Storage

__all__ = ["moderate_receiver", "run_receiver_moderation"]


def run_receiver_moderation(
    settings: BeancanSettings, approve: list[str], block: list[str], by: str = "source"
) -> str:
    """The report of ``invoke moderate --receiver`` (see ``moderate_receiver``)."""
    return asyncio.run(moderate_receiver(settings, approve, block, by))


async def moderate_receiver(
    settings: BeancanSettings,
    approve: list[str],
    block: list[str],
    by: str = "source",
    storage: Storage | None = None,
) -> str:
    """Apply approvals and blocks, then list what still waits for moderation."""
    if by not in RULE_KINDS:
        raise ConfigError(f"--by {by!r}: use one of {', '.join(RULE_KINDS)}")
    own = storage is None
    store = storage or open_storage(database_url(settings))
    if own:
        await store.open()
    try:
        lines = []
        for action, values, moderation in (
            ("trust", approve, "approved"),
            ("block", block, "spam"),
        ):
            for value in values:
                rule = normalize_rule_value(by, value)
                await store.add_rule(action, by, rule)
                changed = 0
                for mention in await _matching(store, by, rule):
                    if mention.moderation != moderation:
                        await store.set_moderation(
                            mention, moderation, _api_state(mention, moderation)
                        )
                        changed += 1
                verb = "approved" if action == "trust" else "blocked"
                lines.append(f"{verb} {by} {rule}: {changed} receiver mention(s) now {moderation}")
        waiting = [m for m in await store.with_state(("verified",)) if m.moderation == "pending"]
        lines.append(f"{len(waiting)} receiver mention(s) wait for moderation")
        for mention in waiting:
            author = (mention.interaction or {}).get("author", {})
            who = author.get("name") or author.get("url") or "(no author)"
            kind = (mention.interaction or {}).get("kind", "mention")
            lines.append(
                f"  {mention.received_at[:10]}  {kind:8} {who}\n"
                f"      source {mention.source}\n      on     {mention.target}"
            )
        return "\n".join(lines)
    finally:
        if own:
            await store.close()


async def _matching(store: Storage, kind: str, rule: str) -> list[Mention]:
    table: dict[str, set[str]] = {k: set() for k in RULE_KINDS}
    table[kind].add(rule)
    found = []
    for mention in await store.with_state(("verified",)):
        if mention.interaction is None:
            continue
        interaction = interaction_from_record(mention.interaction, f"mention {mention.id}")
        if matches(table, interaction):
            found.append(mention)
    return found


def _api_state(mention: Mention, moderation: str) -> str:
    if moderation == "approved":
        return "entry"
    return "deleted" if mention.api_state in ("entry", "deleted") else ""
