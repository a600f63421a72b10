"""Comment feeds of peers' recent posts (``wfw:commentRss``, Atom ``rel="replies"``).

Two things come out of a comment feed: comments there that link to our
posts (inbound, like any entry), and comments written by our own author
(outbound: ``direction="out"``, target the peer's post), so the
conversations page sees both directions even when the peer never pings us.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from ..errors import FetchError
from ..model import Author, Interaction, make_interaction
from ..settings import BeancanSettings
from ..urls import SiteURLs, canonical_url, url_key
from .config import Peer
from .feed_state import FeedState, comment_validators
from .feeds import FeedEntry, entry_interactions
from .links import absolute_links
from .parse import NotAFeed, parse_document

__all__ = ["OwnAuthor", "collect_comment_feeds", "comment_source"]

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
_WP_COMMENT = re.compile(r"^comment-(\d+)$")


@dataclass(frozen=True, slots=True)
class OwnAuthor:
    """Recognizes our author by URL (home, rel=me, aliases) or by name."""

    url_keys: frozenset[str]
    names: frozenset[str]
    author: Author
    site: SiteURLs

    @classmethod
    def from_settings(cls, settings: BeancanSettings) -> OwnAuthor:
        name = settings.author.get("name", "")
        return cls(
            url_keys=frozenset(url_key(u) for u in settings.author_urls),
            names=frozenset({name.casefold()} if name else ()),
            author=Author(name=name, url=settings.author.get("url", "") or settings.siteurl),
            site=settings.site,
        )

    def wrote(self, author: Author) -> bool:
        if author.url and (url_key(author.url) in self.url_keys or self.site.is_ours(author.url)):
            return True
        # WordPress comment feeds carry only the commenter's name (dc:creator).
        return bool(author.name) and author.name.strip().casefold() in self.names


def comment_source(link: str) -> str:
    """A URL of its own for one comment.

    Comment links differ only by fragment (``/post/#comment-12``), and the
    store's URLs carry no fragment (``urls.canonical_url``), so the fragment
    moves into the query: WordPress's own ``?replytocom=12`` form where it
    applies (WordPress serves the post for it), ``?comment=<fragment>`` else.
    """
    parts = urlsplit(link)
    if not parts.fragment:
        return link
    match = _WP_COMMENT.match(parts.fragment)
    extra = f"replytocom={match.group(1)}" if match else f"comment={parts.fragment}"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


async def collect_comment_feeds(
    context, peer: Peer, state: FeedState, entries: list[FeedEntry] | None, own: OwnAuthor
) -> list[Interaction]:
    """Interactions from the comment feeds of the peer's most recent posts.

    ``entries`` is the feed just read, or None when it was not modified (304):
    the comment feeds remembered from the last read are followed then, since
    comments arrive without the posts feed changing. At most
    ``BEANCAN_PEER_COMMENT_FEEDS`` feeds, each with conditional GET; a comment
    feed that fails is a warning and gives nothing this run.
    """
    limit = context.settings.blogroll.comment_feeds
    if entries is None:
        wanted = [(v.get("post", ""), u) for u, v in state.comment_feeds.items()]
    else:
        wanted = [
            (canonical_url(e.url), canonical_url(e.comment_feed))
            for e in entries
            if e.comment_feed and canonical_url(e.url) and canonical_url(e.comment_feed)
        ]
    wanted = [(post, url) for post, url in wanted if post][:limit]
    results = await asyncio.gather(
        *(_one_comment_feed(context, peer, state, post, url, own) for post, url in wanted)
    )
    # Feeds no longer followed are forgotten: the state stays small.
    known = state.comment_feeds
    state.comment_feeds = {url: {**known.get(url, {}), "post": post} for post, url in wanted}
    found: list[Interaction] = []
    for url, validators, interactions in results:
        if validators is not None:
            state.comment_feeds[url] = {"post": state.comment_feeds[url]["post"], **validators}
        found += interactions
    return found


async def _one_comment_feed(
    context, peer: Peer, state: FeedState, post: str, url: str, own: OwnAuthor
) -> tuple[str, dict[str, str] | None, list[Interaction]]:
    """``(feed URL, new validators or None to keep the old, interactions)``."""
    headers = {"Accept": FEED_ACCEPT}
    if not context.full_resync:
        headers |= comment_validators(state, url)
    try:
        response = await context.http.get(url, headers=headers)
        if response.status == 304:
            return url, None, []
        if response.status != 200:
            raise NotAFeed(f"HTTP {response.status}")
        parsed = await asyncio.to_thread(
            parse_document, response.content, response.url, response.content_type, Author()
        )
    except (FetchError, NotAFeed) as exc:
        logger.warning("Peer %s: comment feed %s: %s; skipped this run",
                       peer.name, url, getattr(exc, "reason", exc))  # fmt: skip
        return url, None, []
    validators = {
        k: v
        for k, v in (("etag", response.headers.get("etag", "")),
                     ("last_modified", response.headers.get("last-modified", "")))
        if v
    }  # fmt: skip
    found: list[Interaction] = []
    for comment in parsed.entries:
        if not comment.url:
            continue
        comment = replace(comment, url=comment_source(comment.url))
        if own.wrote(comment.author):
            found += _own_comment(comment, post, own)
        else:
            found += entry_interactions(comment, context.settings.site, extra_in_reply_to=(post,))
    return url, validators, found


def _own_comment(comment: FeedEntry, post: str, own: OwnAuthor) -> list[Interaction]:
    """Our author's comment on a peer's post: an outbound reply to that post."""
    source = canonical_url(comment.url)
    if not source:
        return []
    author = comment.author
    if not author.url:
        author = Author(name=author.name or own.author.name, url=own.author.url)
    return [
        make_interaction(
            source=source,
            target=post,
            kind="reply",
            in_reply_to=(post, *comment.in_reply_to),
            author=author,
            content_html=absolute_links(comment.content_html, comment.base or source),
            published=comment.published,
            updated=comment.updated,
            channels=("feed",),
            direction="out",
        )
    ]
