"""``collect_mastodon`` and ``collect_bluesky``: the copies' conversations into the store.

For each post in ``<data>/syndication.jsonl`` (written by the build) and each
copy on the collector's network that is due (``state.is_due``), the copy is
read (``mastodon.py``, ``bluesky.py``) and what it holds merged into the
store like any other channel's interactions:

* only what is new or changed is merged, so a collect that finds nothing new
  changes no byte of the store (and the store file is then not written);
* authors who refuse (``consent.py``) are removed if they were stored before;
* a reply confirmed deleted is tombstoned, a like or repost missing from a
  list read in full is withdrawn the same way;
* a Webmention relayed by Bridgy whose ``url`` is a status we read is folded
  into that status's record: one interaction, both channels (``fold_relayed``).

A copy that cannot be read is a failed source in the report; the store keeps
what it held, and the state about that copy does not move.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from ..avatar_fetch import fetch_avatars
from ..collecting import CollectContext, SourceReport
from ..errors import FetchError
from ..model import Interaction
from ..store import InteractionStore, record_key
from ..urls import url_key
from .bluesky import read_bluesky_copy
from .copy_state import STATE_FILE, CopyState, SocialState, is_due
from .harvest import Harvest, SocialError
from .mastodon import read_mastodon_copy
from .syndication import Copy, SyndicatedPost, parse_copy, read_manifest

__all__ = ["collect_bluesky", "collect_mastodon", "fold_relayed"]

logger = logging.getLogger(__name__)

#: copies read at the same time (the HTTP client also caps requests per host).
PARALLEL_COPIES = 4


async def collect_mastodon(context: CollectContext) -> list[SourceReport]:
    """Replies, likes and reposts of every post's Mastodon-API copies."""
    return await _collect(context, "mastodon")


async def collect_bluesky(context: CollectContext) -> list[SourceReport]:
    """Replies, likes and reposts of every post's Bluesky copies."""
    return await _collect(context, "bluesky")


async def _collect(context: CollectContext, platform: str) -> list[SourceReport]:
    data_dir = context.settings.data_dir
    posts = read_manifest(data_dir, context.settings.site)
    work = [(post, copy) for post in posts for copy in post.copies
            if copy.platform == platform]  # fmt: skip
    if not work and not (Path(data_dir) / STATE_FILE).exists():
        return []  # a site that shares nothing anywhere: not even a state file
    state = SocialState.load(data_dir)
    slots = asyncio.Semaphore(PARALLEL_COPIES)

    async def one(post: SyndicatedPost, copy: Copy) -> SourceReport | None:
        known = state.copies.get(copy.url) or CopyState()
        due, recorded = is_due(
            post.published, known.checked, context.started,
            recent_days=context.settings.social.recent_days,
            daily_days=context.settings.social.daily_days,
        )  # fmt: skip
        if not (due or context.full_resync):
            return None
        async with slots:
            harvest, report = await _read(context, platform, copy, post.url, state, known)
        if harvest is not None:
            await _apply(context, post.url, copy, harvest, report)
            state.copies[copy.url] = CopyState(
                checked=context.started if recorded else known.checked,
                likes=harvest.likes,
                reposts=harvest.reposts,
                replies=harvest.replies,
                refused=tuple(sorted(harvest.refused_replies)),
            )
        context.progress(f"{platform}: {copy.url}", 1)
        return report

    results = await asyncio.gather(*(one(post, copy) for post, copy in work))
    # Copies no post lists any more (the post or its Syndication line went).
    listed = {copy.url for _, copy in work}
    for url in list(state.copies):
        found = parse_copy(url)
        if found is not None and found.platform == platform and url not in listed:
            del state.copies[url]
    folded = fold_relayed(context.store, platform)
    if folded:
        logger.info(
            "%s: %d relayed Webmention(s) joined to the statuses they relay", platform, folded
        )
    # The store before the state that says what it holds: a crash in between
    # reads a copy again, it never skips what was not saved.
    context.store.save()
    state.save()
    return [r for r in results if r is not None]


async def _read(
    context: CollectContext, platform: str, copy: Copy, target: str, state: SocialState,
    known: CopyState,
) -> tuple[Harvest | None, SourceReport]:  # fmt: skip
    report = SourceReport(source=copy.url)
    try:
        if platform == "mastodon":
            harvest = await read_mastodon_copy(context, copy, target, state, known)
        else:
            harvest = await read_bluesky_copy(
                context, copy, target, state, known, _needs_check(context.store)
            )
    except (SocialError, FetchError) as exc:
        report.failed = str(exc)
        logger.warning(
            "%s copy %s failed: %s; the store keeps what it had", platform, copy.url, exc
        )
        return None, report
    return harvest, report


def _needs_check(store: InteractionStore) -> Callable[[Interaction], bool]:
    return lambda interaction: not _already_stored(store, interaction)


def _already_stored(store: InteractionStore, interaction: Interaction) -> bool:
    """The store holds this exactly (content, and this channel among its channels)."""
    stored = store.get(interaction.source, interaction.target)
    return (
        stored is not None
        and stored.status != "deleted"
        and set(interaction.channels) <= set(stored.channels)
        and (stored.kind, stored.in_reply_to, stored.author, stored.content_html,
             stored.published, stored.updated)
        == (interaction.kind, interaction.in_reply_to, interaction.author,
            interaction.content_html, interaction.published, interaction.updated)
    )  # fmt: skip


async def _apply(
    context: CollectContext, target: str, copy: Copy, harvest: Harvest, report: SourceReport
) -> None:
    store = context.store
    changed = [i for i in harvest.interactions if not _already_stored(store, i)]
    for interaction in await fetch_avatars(context, changed):
        context.add(interaction, report)
    for source in sorted(harvest.refused):
        report.deleted += store.remove([record_key(source, target)])
    _forget_authors(store, copy.platform, harvest.refused_authors, report)
    for source in sorted(harvest.gone):
        if store.delete(source, target, context.started) is not None:
            report.deleted += 1
    # Likes and reposts no longer listed (unliked, or the account is gone).
    listed = {url_key(i.source) for i in harvest.interactions}
    prefix = {kind: url_key(f"{copy.url}?{marker}=") for kind, marker in
              (("like", "liked_by"), ("repost", "reposted_by"))}  # fmt: skip
    for interaction in list(store) if harvest.listed else ():
        kind = interaction.kind
        if (
            kind in harvest.listed
            and interaction.status != "deleted"
            and url_key(interaction.target) == url_key(target)
            and url_key(interaction.source).startswith(prefix[kind])
            and url_key(interaction.source) not in listed
            and store.delete(interaction.source, target, context.started) is not None
        ):
            report.deleted += 1


def _forget_authors(
    store: InteractionStore, channel: str, authors: set[str], report: SourceReport
) -> None:
    """Remove everything from this network by people who refuse, on any of our posts."""
    refusing = {url_key(a) for a in authors if a}
    if not refusing:
        return
    keys = [key for key, i in store.items()
            if channel in i.channels and url_key(i.author.url) in refusing]  # fmt: skip
    report.deleted += store.remove(keys)


def fold_relayed(store: InteractionStore, channel: str) -> int:
    """Join each relayed Webmention (Bridgy) to the record it relays; returns how many.

    A relayed reply has ``source`` = the relay's URL and ``url`` = the
    status's page; the record this collector wrote has ``source`` = that
    page. A relayed like or repost has no page of its own (Bridgy's ``url``
    is the copy's, with a fragment): it is the same one when kind, target and
    author are. Either way the two become one record keyed as ours, with both
    channels, our content, and any moderation decision already taken.
    """
    ours = {record_key(i.source, i.target): i for i in store if channel in i.channels}
    reactions = {
        _reaction_key(i): key for key, i in ours.items() if i.kind in ("like", "repost")
    }  # fmt: skip
    folded = 0
    for key, relayed in list(store.items()):
        if not relayed.url or channel in relayed.channels:
            continue
        if relayed.kind in ("like", "repost"):
            own_key = reactions.get(_reaction_key(relayed), "")
        else:
            own_key = record_key(relayed.url, relayed.target)
        own = ours.get(own_key)
        if own is None or own_key == key:
            continue
        merged = own.with_changes(
            channels=tuple(sorted(set(own.channels) | set(relayed.channels))),
            status=_joined_status(own.status, relayed.status),
            first_seen=min(filter(None, (own.first_seen, relayed.first_seen))),
            last_seen=max(own.last_seen, relayed.last_seen),
        )
        store.remove([key, own_key])
        store.merge(merged, merged.last_seen)
        ours[own_key] = merged
        folded += 1
    return folded


def _reaction_key(interaction: Interaction) -> tuple[str, str, str]:
    return (interaction.kind, url_key(interaction.target), url_key(interaction.author.url))


def _joined_status(own: str, relayed: str) -> str:
    """A decision taken on either copy holds: spam wins, then approved.

    A status deleted on its network stays deleted, whoever relayed it before.
    """
    if own == "deleted":
        return own
    for status in ("spam", "approved"):
        if status in (own, relayed):
            return status
    return own
