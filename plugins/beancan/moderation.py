"""Moderation: which incoming interactions show at once, which wait, which never show.

Policies (``BEANCAN_MODERATION``): ``open`` approves everything not blocked;
``known`` (default) approves authors with an earlier approved interaction and
peers in the blogroll, and holds first-timers; ``manual`` holds everything.
Blocks live in ``<data>/moderation.jsonl`` and apply to everything collected
later, whatever the policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import StoreError
from .files import read_jsonl, write_jsonl
from .model import Interaction
from .store import InteractionStore, record_key
from .urls import host_of, url_key

__all__ = ["RULES_FILE", "ModerationRules", "initial_status", "known_authors", "matches"]

RULES_FILE = "moderation.jsonl"
RULE_KINDS = ("source", "author", "domain")


@dataclass
class ModerationRules:
    """Standing decisions: ``blocked[kind]`` and ``trusted[kind]`` hold keys."""

    blocked: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in RULE_KINDS})
    trusted: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in RULE_KINDS})

    @classmethod
    def load(cls, data_dir: Path) -> ModerationRules:
        rules = cls()
        path = Path(data_dir) / RULES_FILE
        for number, record in read_jsonl(path, "moderation"):
            action, kind, value = record.get("action"), record.get("by"), record.get("value")
            if action not in ("block", "trust") or kind not in RULE_KINDS or not value:
                raise StoreError(
                    f"{path}:{number}: expected action block|trust, by source|author|domain, "
                    "and a value"
                )
            target = rules.blocked if action == "block" else rules.trusted
            target[kind].add(str(value))
        return rules

    def save(self, data_dir: Path) -> None:
        records = [
            {"action": action, "by": kind, "value": value}
            for action, table in (("block", self.blocked), ("trust", self.trusted))
            for kind in RULE_KINDS
            for value in sorted(table[kind])
        ]
        write_jsonl(Path(data_dir) / RULES_FILE, "moderation", records)

    def add(self, action: str, kind: str, value: str) -> str:
        """Record a decision; returns the normalized value stored."""
        value = normalize_rule_value(kind, value)
        (self.blocked if action == "block" else self.trusted)[kind].add(value)
        other = self.trusted if action == "block" else self.blocked
        other[kind].discard(value)
        return value

    def is_blocked(self, interaction: Interaction) -> bool:
        return matches(self.blocked, interaction)

    def is_trusted(self, interaction: Interaction) -> bool:
        return matches(self.trusted, interaction)


def normalize_rule_value(kind: str, value: str) -> str:
    if kind == "domain":
        value = value.strip().lower()
        return host_of(value) if "/" in value else value.rstrip(".")
    return url_key(value) or value.strip()


def matches(table: dict[str, set[str]], interaction: Interaction) -> bool:
    """Whether a rule table names this interaction's source, author or domain."""
    if url_key(interaction.source) in table["source"] or (
        interaction.url and url_key(interaction.url) in table["source"]
    ):
        return True
    if interaction.author.url and url_key(interaction.author.url) in table["author"]:
        return True
    hosts = {host_of(u) for u in (interaction.source, interaction.url, interaction.author.url) if u}
    return any(_under(host, domain) for host in hosts for domain in table["domain"])


def _under(host: str, domain: str) -> bool:
    """Whether ``host`` is ``domain`` or below it; ports never matter."""
    host, domain = host.split(":")[0], domain.split(":")[0]
    return host == domain or host.endswith("." + domain)


def known_authors(store: InteractionStore) -> set[str]:
    """URL keys of every author with an approved interaction."""
    return {url_key(i.author.url) for i in store.visible() if i.author.url}


def initial_status(
    interaction: Interaction,
    *,
    policy: str,
    rules: ModerationRules,
    known: set[str],
    peer_hosts: Iterable[str] = (),
) -> str:
    """The status a newly collected interaction starts with."""
    if rules.is_blocked(interaction):
        return "spam"
    if policy == "open" or rules.is_trusted(interaction):
        return "approved"
    if policy == "manual":
        return "pending"
    if interaction.author.url and url_key(interaction.author.url) in known:
        return "approved"
    hosts = {host_of(u) for u in (interaction.source, interaction.author.url) if u}
    if any(_under(h, peer) for h in hosts for peer in peer_hosts):
        return "approved"
    return "pending"


def keys_matching(store: InteractionStore, kind: str, value: str) -> list[str]:
    """Store keys of every record a rule (kind, value) names."""
    table = {k: set() for k in RULE_KINDS}
    table[kind].add(normalize_rule_value(kind, value))
    return [record_key(i.source, i.target) for i in store if matches(table, i)]
