"""What the peers page, the blogroll and the neighbourhood list see: pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..dates import parse_date
from ..urls import host_of
from .config import Peer
from .exchanges import StoreExchanges, linking_posts
from .feed_state import FeedState, PeerPost, newest_first

__all__ = ["add_own_links", "PeerView", "PostView", "neighbourhood", "peer_views"]

LATEST_POSTS = 3


@dataclass(frozen=True, slots=True)
class PostView:
    peer_name: str
    peer_url: str
    title: str
    url: str
    published: str  # ISO 8601, for datetime=""
    published_display: str


@dataclass(slots=True)
class PeerView:
    name: str
    url: str
    host: str
    slug: str
    person_url: str
    avatar: str
    feed: str
    feed_type: str
    posts: list[PostView] = field(default_factory=list)
    last_wrote: str = ""
    last_wrote_display: str = ""
    links_in: int = 0
    links_out: int = 0
    gone: bool = False
    gone_since: str = ""  # display date of the last good run
    last_error: str = ""


def _display(value: str, date_format: str) -> str:
    parsed = parse_date(value)
    return parsed.strftime(date_format) if parsed else ""


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _post_view(peer: Peer, post: PeerPost, date_format: str) -> PostView:
    return PostView(
        peer_name=peer.name,
        peer_url=peer.url,
        # An untitled note is shown by the start of its text.
        title=post.title or _excerpt(post.summary) or host_of(post.url),
        url=post.url,
        published=post.published,
        published_display=_display(post.published, date_format),
    )


def peer_views(
    peers: Iterable[Peer],
    *,
    states: dict[str, FeedState],
    posts: dict[str, list[PeerPost]],
    exchanges: Mapping[str, StoreExchanges],
    gone_after: int,
    date_format: str,
    person_url: Callable[[Peer], tuple[str, str]],
    avatar: Callable[[Peer, tuple[str, ...]], str],
) -> list[PeerView]:
    """One view per peer, sorted by name.

    ``exchanges`` holds each peer's part of the store by ``Peer.key``
    (``exchanges.read_exchanges``), ``person_url`` gives (slug, URL) of a
    peer's person page, ``avatar`` the URL of the peer's avatar from the
    avatar file names of what they wrote us, newest first. Our posts' links
    to a peer are added by ``add_own_links``, once Pelican has read every post.
    """
    views = []
    for peer in peers:
        stored = exchanges.get(peer.key) or StoreExchanges()
        state = states.get(peer.url) or FeedState(peer.url)
        recent = [_post_view(peer, p, date_format) for p in newest_first(posts.get(peer.url, []))]
        slug, link = person_url(peer)
        views.append(
            PeerView(
                name=peer.name,
                url=peer.url,
                host=peer.host,
                slug=slug,
                person_url=link,
                avatar=avatar(peer, stored.avatars),
                feed=state.feed or peer.feed,
                feed_type=state.feed_type,
                posts=recent[:LATEST_POSTS],
                last_wrote=recent[0].published if recent else "",
                last_wrote_display=recent[0].published_display if recent else "",
                links_in=stored.links_in,
                links_out=stored.links_out,
                gone=state.failures >= gone_after,
                gone_since=_display(state.last_ok, date_format),
                last_error=state.last_error,
            )
        )
    return sorted(views, key=lambda v: (v.name.casefold(), v.url))


def add_own_links(
    views: list[PeerView], peers: Iterable[Peer], own_links: Iterable[Iterable[str]]
) -> None:
    """Count our posts linking each peer (a post once) in its links from us.

    ``own_links`` holds the links of each of our posts. A peer with no
    exchange either way has no person page.
    """
    keys = {peer.url: peer.key for peer in peers}
    linked = linking_posts(own_links, keys.values())
    for view in views:
        view.links_out += linked.get(keys.get(view.url, ""), 0)
        if not view.links_in and not view.links_out:
            view.person_url = ""


def neighbourhood(
    peers: Iterable[Peer], posts: dict[str, list[PeerPost]], size: int, date_format: str
) -> list[PostView]:
    """The ``size`` most recent posts of all peers together, newest first."""
    by_url = {peer.url: peer for peer in peers}
    every = [post for url in by_url for post in posts.get(url, [])]
    return [_post_view(by_url[p.peer], p, date_format) for p in newest_first(every)][:size]
