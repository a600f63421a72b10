"""``invoke moderate`` and ``invoke forget``: the author's decisions about the store."""

from __future__ import annotations

from pathlib import Path

from .avatar_files import AVATAR_DIR
from .errors import ConfigError
from .moderation import RULE_KINDS, ModerationRules, keys_matching
from .settings import BeancanSettings
from .store import InteractionStore, record_key
from .urls import url_key

__all__ = ["forget_url", "run_moderation"]


def run_moderation(
    settings: BeancanSettings, approve: list[str], block: list[str], by: str = "source"
) -> str:
    """Apply approvals and blocks, save, and return the list of what still waits."""
    if by not in RULE_KINDS:
        raise ConfigError(f"--by {by!r}: use one of {', '.join(RULE_KINDS)}")
    store = InteractionStore.load(settings.data_dir)
    rules = ModerationRules.load(settings.data_dir)
    lines = []
    for action, values, status in (("trust", approve, "approved"), ("block", block, "spam")):
        for value in values:
            rule = rules.add(action, by, value)
            changed = store.set_status(keys_matching(store, by, rule), status)
            verb = "approved" if action == "trust" else "blocked"
            lines.append(f"{verb} {by} {rule}: {changed} interaction(s) now {status}")
    if approve or block:
        rules.save(settings.data_dir)
        store.save()
    waiting = sorted(
        (i for i in store if i.status == "pending"), key=lambda i: (i.first_seen, i.source)
    )
    lines.append(f"{len(waiting)} interaction(s) wait for moderation")
    for interaction in waiting:
        who = interaction.author.name or interaction.author.url or "(no author)"
        lines.append(
            f"  {interaction.first_seen[:10]}  {interaction.kind:8} {who}\n"
            f"      source {interaction.permalink}\n      on     {interaction.target}"
        )
    return "\n".join(lines)


def forget_url(settings: BeancanSettings, url: str) -> str:
    """Remove every record from one source or author, and that author's cached avatar."""
    key = url_key(url)
    if not key:
        raise ConfigError(f"{url!r} is not an http(s) URL")
    store = InteractionStore.load(settings.data_dir)
    doomed = [
        i
        for i in store
        if key in (url_key(i.source), url_key(i.url), url_key(i.author.url)) and key
    ]
    avatars = {i.avatar for i in doomed if i.avatar}
    removed = store.remove(record_key(i.source, i.target) for i in doomed)
    still_used = {i.avatar for i in store if i.avatar}
    deleted_files = 0
    for name in sorted(avatars - still_used):
        path = Path(settings.data_dir) / AVATAR_DIR / name
        if path.is_file():
            path.unlink()
            deleted_files += 1
    store.save()
    return f"forgot {removed} interaction(s) and {deleted_files} avatar file(s) for {url}"
