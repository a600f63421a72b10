"""What each peer and we wrote to each other, counted by host instead of by scan.

The peers page shows, per peer, how many approved responses came from the
peer's site ("from them"), how many of our links point at it ("from us": our
approved outgoing Webmentions plus our posts that link it), and an avatar
from the newest thing the peer wrote us. The store's part of that depends on
the data files alone, so ``read_exchanges`` is a plain function of picklable
arguments that ``beancan.background`` can run beside Pelican while it reads
the posts.

A URL belongs to a peer when its key is the peer's key or lies under it
(``under``); it then has the peer's host. So each URL's key is worked out
once and filed under its host, and each peer checks only the URLs of its own
host, instead of every record being keyed again for every peer. The answer
is the scan's (``tests/peers/test_exchanges.py`` checks it against the scan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Interaction
from ..store import load_for_build
from ..urls import key_host, url_key

__all__ = [
    "StoreExchanges",
    "count_exchanges",
    "linking_posts",
    "read_exchanges",
    "under",
]


@dataclass(frozen=True, slots=True)
class StoreExchanges:
    """One peer's part of the interaction store."""

    #: approved incoming responses whose source or author is on the peer's site.
    links_in: int = 0
    #: distinct sources of our approved outgoing links to the peer's site.
    links_out: int = 0
    #: avatar file names from what the peer's own pages wrote us, newest first, once each.
    avatars: tuple[str, ...] = ()


def under(key: str, base: str) -> bool:
    """Whether the URL key ``key`` is the key ``base`` or lies under it (path or query)."""
    return bool(key) and (key == base or key.startswith((base + "/", base + "?")))


def count_exchanges(
    interactions: Iterable[Interaction], keys: Iterable[str]
) -> dict[str, StoreExchanges]:
    """Each peer's exchanges, by the peer's key (``Peer.key``), from approved records."""
    keys = list(keys)
    hosts = {key_host(base) for base in keys}
    # host -> (source key, author key, record) of incoming records, in store order
    incoming: dict[str, list[tuple[str, str, Interaction]]] = defaultdict(list)
    # host -> (target key, source) of our outgoing records
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for interaction in interactions:
        if interaction.status != "approved":
            continue
        if interaction.direction == "in":
            source, author = url_key(interaction.source), url_key(interaction.author.url)
            entry = (source, author, interaction)
            first, second = key_host(source), key_host(author)
            if first in hosts:
                incoming[first].append(entry)
            if second != first and second in hosts:
                incoming[second].append(entry)
        elif interaction.direction == "out":
            target = url_key(interaction.target)
            if key_host(target) in hosts:
                outgoing[key_host(target)].append((target, interaction.source))
    found = {}
    for base in keys:
        host = key_host(base)
        theirs = [e for e in incoming.get(host, ()) if under(e[0], base) or under(e[1], base)]
        ours = {source for target, source in outgoing.get(host, ()) if under(target, base)}
        newest = sorted(theirs, key=lambda e: e[2].sort_date, reverse=True)
        avatars = dict.fromkeys(e[2].avatar for e in newest if e[2].avatar and under(e[1], base))
        found[base] = StoreExchanges(len(theirs), len(ours), tuple(avatars))
    return found


def read_exchanges(data_dir: Path, keys: tuple[str, ...]) -> dict[str, StoreExchanges]:
    """``count_exchanges`` over the store in ``data_dir``; raises StoreError if unreadable."""
    return count_exchanges(load_for_build(data_dir), keys)


def linking_posts(own_links: Iterable[Iterable[str]], keys: Iterable[str]) -> dict[str, int]:
    """How many of our posts (each given by its links) link each peer's site, by peer key."""
    by_host: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for number, links in enumerate(own_links):
        for link in links:
            key = url_key(link)
            by_host[key_host(key)].append((number, key))
    return {
        base: len({n for n, key in by_host.get(key_host(base), ()) if under(key, base)})
        for base in keys
    }
