"""Who the peers are: ``BEANCAN_PEERS`` and the OPML file named by ``BEANCAN_PEERS_OPML``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ..errors import ConfigError
from ..settings import BeancanSettings
from ..urls import canonical_url, host_of, url_key

__all__ = ["Peer", "load_peers", "peer_hosts", "peers_from_config", "peers_from_opml"]

logger = logging.getLogger(__name__)

#: OPML files are local configuration, but still XML from elsewhere: no
#: entities, no network, no huge trees (billion laughs, XXE).
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_LEAST = {"peer_comment_feeds": 0, "peer_page_checks": 0, "neighbourhood_size": 0,
          "peer_gone_after": 1, "peer_posts_kept": 1}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Peer:
    """One peer blog: its name, home page and, when known, its feed."""

    name: str
    url: str
    #: configured feed URL; "" means discover it from the home page.
    feed: str = ""
    #: more feeds of the same peer (a comments feed beside the posts feed), read
    #: after ``feed``; from a ``feeds`` list or the same peer listed again.
    more_feeds: tuple[str, ...] = ()

    @property
    def feeds(self) -> tuple[str, ...]:
        """Every configured feed, ``feed`` first."""
        return tuple(f for f in (self.feed, *self.more_feeds) if f)

    @property
    def key(self) -> str:
        return url_key(self.url)

    @property
    def host(self) -> str:
        return host_of(self.url)


def peers_from_config(
    entries: Iterable[Mapping[str, str]], *, skip_bad: bool = False
) -> list[Peer]:
    """Peers from ``BEANCAN_PEERS``; raises ConfigError naming the bad entry.

    With ``skip_bad`` a bad entry is logged as an error naming it and left
    out instead: the build then still writes the peers page for the others.
    """
    peers = []
    for number, entry in enumerate(entries, start=1):
        try:
            peers.append(_peer_from_entry(number, entry))
        except ConfigError as exc:
            if not skip_bad:
                raise
            logger.error("%s; this peer is left out until it is fixed", exc)
    return peers


def _peer_from_entry(number: int, entry: Mapping[str, str]) -> Peer:
    where = f"Setting BEANCAN_PEERS entry {number} ({dict(entry)!r})"
    unknown = set(entry) - {"name", "url", "feed", "feeds"}
    if unknown:
        raise ConfigError(f"{where} has unknown key(s) {', '.join(sorted(unknown))}")
    written = entry.get("feeds") or ()
    if isinstance(written, str) or not all(isinstance(f, str) for f in written):
        raise ConfigError(f"{where}: 'feeds' must be a list of URLs")
    if entry.get("feed"):
        written = (entry["feed"], *written)
    feeds = tuple(dict.fromkeys(canonical_url(f) for f in written))
    url = canonical_url(entry.get("url", ""))
    if not url and feeds and feeds[0]:
        url = _home_of(feeds[0])
    if not url:
        raise ConfigError(f"{where}: 'url' is not an http(s) URL")
    if "" in feeds:
        raise ConfigError(f"{where}: 'feed' is not an http(s) URL")
    name = (entry.get("name") or "").strip() or host_of(url)
    return Peer(name, url, feeds[0] if feeds else "", feeds[1:])


def peers_from_opml(path: Path) -> list[Peer]:
    """Peers from an OPML 2.0 subscription list (nested outlines are flattened)."""
    try:
        tree = etree.parse(str(path), _XML_PARSER)
    except OSError as exc:
        raise ConfigError(f"Setting BEANCAN_PEERS_OPML: {path} cannot be read ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"Setting BEANCAN_PEERS_OPML: {path} is not valid XML: {exc}") from exc
    if tree.getroot().tag != "opml":
        raise ConfigError(f"Setting BEANCAN_PEERS_OPML: {path} is not an OPML file")
    peers = []
    for outline in tree.getroot().iter("outline"):
        feed = canonical_url(outline.get("xmlUrl", ""))
        url = canonical_url(outline.get("htmlUrl", "") or outline.get("url", ""))
        if not url and feed:
            url = _home_of(feed)
        if not url:
            continue  # a folder outline, or one we cannot use
        name = (outline.get("title") or outline.get("text") or "").strip() or host_of(url)
        peers.append(Peer(name=name, url=url, feed=feed))
    return peers


def load_peers(settings: BeancanSettings, *, skip_bad: bool = False) -> list[Peer]:
    """Every configured peer, once: ``BEANCAN_PEERS`` first, then the OPML file.

    Also checks the numeric peer settings; raises ConfigError naming the bad
    one. ``skip_bad``: a bad ``BEANCAN_PEERS`` entry is logged and left out
    (the build); without it, it stops the caller (collect, ``beancan check``).
    """
    for name, least in _LEAST.items():
        if settings.lookup(name) < least:
            raise ConfigError(f"Setting BEANCAN_{name.upper()} must be at least {least}")
    peers = peers_from_config(settings.blogroll.peers, skip_bad=skip_bad)
    if settings.blogroll.opml:
        peers += peers_from_opml(Path(settings.blogroll.opml))
    unique: dict[str, Peer] = {}
    for peer in peers:
        first = unique.setdefault(peer.key, peer)
        if first is not peer:
            # The same peer listed again: one peer (the first entry's name), reading
            # every feed of both entries; a feed given replaces discovering one.
            feeds = tuple(dict.fromkeys((*first.feeds, *peer.feeds)))
            unique[peer.key] = replace(first, feed=(feeds or ("",))[0], more_feeds=feeds[1:])
    return list(unique.values())


def peer_hosts(peers: Iterable[Peer]) -> set[str]:
    """The host names whose responses moderation treats as known (``CollectContext.peer_hosts``).

    Without the port: ``moderation.initial_status`` compares host names.
    """
    return {name for name in (urlsplit(peer.url).hostname for peer in peers) if name}


def _home_of(feed: str) -> str:
    scheme, rest = feed.split("://", 1)
    return canonical_url(f"{scheme}://{rest.split('/', 1)[0]}/")
