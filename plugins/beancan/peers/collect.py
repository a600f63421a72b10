"""``collect_peer_feeds``: every peer's feed, concurrently, into the interaction store.

Each feed is fetched with conditional GET (RFC 9110 §13.1), so an unchanged
feed costs a 304 and nothing else. A peer that fails (down, slow, too big,
malformed, an HTML page, redirecting in circles, 404/410) is a warning
naming it and the reason; nothing already held from it is touched, and its
run of consecutive failures is counted for the peers page.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from ..collecting import CollectContext, SourceReport
from ..errors import FetchError, SourceError
from ..http import Response
from ..model import Interaction
from ..sanitize import html_to_text
from ..urls import canonical_url, host_of
from .comments import FEED_ACCEPT, OwnAuthor, collect_comment_feeds
from .config import Peer, load_peers, peer_hosts
from .feed_discovery import discover_feeds
from .feed_state import (
    FeedState,
    PeerPost,
    load_posts,
    load_states,
    make_post,
    merge_posts,
    save_posts,
    save_states,
)
from .feeds import FeedEntry, entry_interactions, peer_author
from .parse import NotAFeed, ParsedFeed, page_in_reply_to, parse_document, sniff

__all__ = ["collect_peer_feeds"]

logger = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


class PeerFailed(SourceError):
    """This run could not read the peer's feed; the message is the reason."""


@dataclass(slots=True)
class PeerResult:
    report: SourceReport
    state: FeedState
    interactions: list[Interaction]
    posts: list[PeerPost] | None  # None: keep the posts we had


async def collect_peer_feeds(context: CollectContext) -> list[SourceReport]:
    """Collect from every configured peer; one SourceReport per peer."""
    settings = context.settings
    peers = load_peers(settings)
    # Peers' responses count as "known" for moderation (moderation.initial_status).
    context.peer_hosts |= peer_hosts(peers)
    if not peers:
        return []
    data_dir = Path(settings.data_dir)
    # The state files are rebuilt by collect: a bad line costs only what it held.
    states = load_states(data_dir, skip_bad=True)
    own = OwnAuthor.from_settings(settings)
    results = await asyncio.gather(
        *(_collect_peer(context, peer, states.get(peer.url), own) for peer in peers)
    )
    for peer, result in zip(peers, results, strict=True):
        for interaction in result.interactions:
            context.try_add(interaction, result.report)
        states[peer.url] = result.state
    # The store is saved before the feed state: were it the other way round, a
    # crash in between would leave ETags whose entries we never kept, and the
    # next run's 304s would hide them for good.
    context.store.save()
    configured = {peer.url for peer in peers}
    read = {
        peer.url: r.posts for peer, r in zip(peers, results, strict=True) if r.posts is not None
    }
    if read:
        # Only a feed read afresh has posts to merge: a run of 304s leaves the file
        # as it is (the build shows configured peers' posts only), and saves the
        # reading and re-sanitizing of every post (bench/bench_peers.py).
        posts = load_posts(data_dir, skip_bad=True)
        for url, new in read.items():
            posts[url] = merge_posts(posts.get(url, []), new, settings.blogroll.posts_kept)
        save_posts(data_dir, {k: v for k, v in posts.items() if k in configured})
    save_states(data_dir, [s for k, s in states.items() if k in configured])
    return [result.report for result in results]


async def _collect_peer(
    context: CollectContext, peer: Peer, known: FeedState | None, own: OwnAuthor
) -> PeerResult:
    """One peer's result; whatever its feeds make the code raise costs only this peer."""
    try:
        result = await _read_peer(context, peer, known, own)
        result.state.more_feeds = {
            f: v for f, v in result.state.more_feeds.items() if f in peer.more_feeds
        }
        for feed in peer.more_feeds:
            result.interactions += await _read_more_feed(context, peer, result, feed)
        return result
    except Exception as exc:  # noqa: BLE001 - one peer's feed must not cost the others
        reason = f"{type(exc).__name__}: {exc}"
        logger.warning("Peer %s: %s; what we hold from it is kept", peer.name, reason)
        state = replace(known) if known else FeedState(peer.url)
        state.failures += 1
        state.last_error = reason
        return PeerResult(SourceReport(peer.url, failed=reason), state, [], None)


async def _read_peer(
    context: CollectContext, peer: Peer, known: FeedState | None, own: OwnAuthor
) -> PeerResult:
    state = replace(known) if known else FeedState(peer.url)
    state.comment_feeds = dict(state.comment_feeds)
    state.last_checked = context.started
    report = SourceReport(peer.url)
    try:
        parsed = await _read_feed(context, peer, state)
    except (FetchError, NotAFeed, PeerFailed) as exc:
        reason = exc.reason if isinstance(exc, FetchError) else str(exc)
        state.failures += 1
        state.last_error = reason
        report.failed = reason
        logger.warning("Peer %s (%s): %s; what we hold from it is kept",
                       peer.name, state.feed or peer.url, reason)  # fmt: skip
        return PeerResult(report, state, [], None)
    finally:
        context.progress(f"peer feeds: {peer.name}", 1)
    state.failures = 0
    state.last_error = ""
    state.last_ok = context.started
    if parsed is None:  # 304 Not Modified: only the remembered comment feeds may have news
        found = await collect_comment_feeds(context, peer, state, None, own)
        return PeerResult(report, state, found, None)
    interactions = await _entry_interactions(context, peer, state, parsed, report)
    interactions += await collect_comment_feeds(context, peer, state, parsed.entries, own)
    posts = [
        # The summary needs only the start of the text.
        make_post(peer.url, e.url, e.title, e.published, html_to_text(e.content_html[:4000]))
        for e in parsed.entries
        if canonical_url(e.url)
    ]
    return PeerResult(report, state, interactions, posts)


async def _read_more_feed(
    context: CollectContext, peer: Peer, result: PeerResult, feed: str
) -> list[Interaction]:
    """Interactions from one more feed of the peer (a comments feed, say).

    Its failure is a warning and a skip in the peer's line of the table: the
    peer's main feed decides whether the peer is failing.
    """
    state, report = result.state, result.report
    known = state.more_feeds.get(feed, {})
    headers = {"Accept": FEED_ACCEPT}
    if not context.full_resync:
        headers |= FeedState(peer.url, etag=known.get("etag", ""),
                             last_modified=known.get("last_modified", "")).validators()  # fmt: skip
    try:
        response = await context.http.get(feed, headers=headers)
        if response.status == 304:
            return []
        if response.status != 200:
            raise PeerFailed(f"feed answered HTTP {response.status}")
        parsed = await asyncio.to_thread(
            parse_document, response.content, response.url, response.content_type,
            peer_author(peer),
        )  # fmt: skip
    except (FetchError, NotAFeed, PeerFailed) as exc:
        report.skip(
            "feed failed", f"feed {feed}", exc.reason if isinstance(exc, FetchError) else exc
        )
        return []
    state.more_feeds[feed] = {
        k: v
        for k, v in (("etag", response.headers.get("etag", "")),
                     ("last_modified", response.headers.get("last-modified", "")))
        if v
    }  # fmt: skip
    return await _entry_interactions(context, peer, state, parsed, report)


async def _read_feed(context: CollectContext, peer: Peer, state: FeedState) -> ParsedFeed | None:
    """The peer's feed parsed, or None when it has not changed (304)."""
    if peer.feed and state.feed != peer.feed:
        # A newly configured feed: validators of the old URL mean nothing here.
        state.feed, state.discovered, state.etag, state.last_modified = peer.feed, False, "", ""
    elif not peer.feed and not state.discovered:
        state.feed = ""
    if not state.feed:
        parsed = await _discover(context, peer, state)
        if parsed is not None or not state.feed:
            return parsed
    headers = {"Accept": FEED_ACCEPT}
    if not context.full_resync:
        headers |= state.validators()
    response = await context.http.get(state.feed, headers=headers)
    if response.status == 304:
        return None
    if response.status in (404, 410) and state.discovered:
        state.feed = ""  # the next run looks for the feed again
    return await _accept(response, peer, state)


async def _accept(response: Response, peer: Peer, state: FeedState) -> ParsedFeed:
    if response.status in (404, 410):
        word = "gone" if response.status == 410 else "not found"
        raise PeerFailed(f"feed {word} (HTTP {response.status})")
    if response.status != 200:
        raise PeerFailed(f"feed answered HTTP {response.status}")
    parsed = await asyncio.to_thread(
        parse_document, response.content, response.url, response.content_type, peer_author(peer)
    )
    # Validators are kept only with a feed we could read: a 304 must never
    # stand for content we did not understand.
    state.etag = response.headers.get("etag", "")
    state.last_modified = response.headers.get("last-modified", "")
    state.feed_type, state.title = parsed.feed_type, parsed.title
    return parsed


async def _discover(context: CollectContext, peer: Peer, state: FeedState) -> ParsedFeed | None:
    """Find the peer's feed from its home page and remember it in ``state``.

    Returns the parsed feed when the home page itself is the feed (a feed
    URL given as the site, or an h-feed page); else None, with
    ``state.feed`` set to the advertised feed to fetch.
    """
    response = await context.http.get(peer.url, headers={"Accept": PAGE_ACCEPT})
    if response.status != 200:
        raise PeerFailed(f"home page answered HTTP {response.status}; no feed to discover")
    state.discovered = True
    if sniff(response.content, response.content_type) == "html":
        found = discover_feeds(response.content, response.url)
        if found:
            state.feed, state.feed_type = found[0].url, found[0].feed_type
            state.etag = state.last_modified = ""
            return None
    try:
        parsed = await _accept(response, peer, state)
    except NotAFeed as exc:
        raise PeerFailed(f"no feed found on the home page ({exc})") from exc
    state.feed = canonical_url(peer.url)
    return parsed


async def _entry_interactions(
    context: CollectContext, peer: Peer, state: FeedState, parsed: ParsedFeed, report: SourceReport
) -> list[Interaction]:
    """Interactions of every entry; with ``BEANCAN_PEER_PAGE_CHECKS``, replies read from pages.

    An RSS entry cannot say what it replies to, but its page may (mf2
    ``u-in-reply-to``). Checking costs a request per entry, so it is off by
    default (one request per peer keeps collect fast, see bench/bench_peers.py)
    and, when on, limited to new entries on the peer's own pages.
    """
    site = context.settings.site
    found: list[Interaction] = []
    checks = context.settings.blogroll.page_checks
    own_hosts = {host_of(peer.url), host_of(state.feed)}
    for entry in parsed.entries:
        try:
            interactions = entry_interactions(entry, site)
        except ValueError as exc:  # a bad entry costs only itself
            report.skip("no usable source or target", f"entry {entry.url[:200]!r}", exc)
            continue
        if (
            checks > 0
            and interactions
            and parsed.feed_type != "h-feed"
            and not entry.in_reply_to
            and host_of(entry.url) in own_hosts
            and any(context.store.get(i.source, i.target) is None for i in interactions)
        ):
            checks -= 1
            replied = await _page_in_reply_to(context, entry)
            if replied:
                try:
                    interactions = entry_interactions(replace(entry, in_reply_to=replied), site)
                except ValueError as exc:
                    report.skip("no usable source or target", f"entry {entry.url[:200]!r}", exc)
        found += interactions
    return found


async def _page_in_reply_to(context: CollectContext, entry: FeedEntry) -> tuple[str, ...]:
    try:
        response = await context.http.get(entry.url, headers={"Accept": PAGE_ACCEPT})
    except FetchError as exc:
        logger.debug("in-reply-to check of %s failed: %s", entry.url, exc)
        return ()
    if response.status != 200 or sniff(response.content, response.content_type) != "html":
        return ()
    return await asyncio.to_thread(page_in_reply_to, response.content, response.url)
