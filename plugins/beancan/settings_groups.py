"""Each feature's settings: one frozen group per feature, each field with its checks.

``beancan.settings`` builds them all from Pelican's settings, in one place;
a consumer reads its own group (``settings.comments.thread_max_depth``).
Field ``x_y`` is read from ``BEANCAN_X_Y``: the documented names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._convert import (
    at_least,
    http_url,
    mastodon_hosts,
    setting,
    to_bool,
    to_dict_of_string_lists,
    to_dict_of_strings,
    to_dicts_of_strings,
    to_int,
    to_positive_float,
    to_string,
    to_strings,
    urls_in_entries,
)

__all__ = [
    "MODERATION_POLICIES",
    "AvatarSettings",
    "BuildSettings",
    "CommentSettings",
    "ConversationSettings",
    "HttpSettings",
    "PeerSettings",
    "ReceiverSettings",
    "SocialSettings",
    "WebmentionSettings",
]

MODERATION_POLICIES = ("open", "known", "manual")


@dataclass(frozen=True)
class CommentSettings:
    """The comment sections (``beancan.comments``)."""

    thread_max_depth: int = setting(6, to_int, at_least(1))
    facepile_limit: int = setting(12, to_int, at_least(1))
    comment_max_chars: int = setting(1200, to_int, at_least(1))


@dataclass(frozen=True)
class BuildSettings:
    """How the build does Beancan's work (``beancan.background``)."""

    #: do the store's work in a second process beside Pelican's (background.py) ...
    background: bool = setting(True, to_bool)
    #: ... once the store has this many bytes (starting a process costs about 0.3 s).
    background_min_store: int = setting(2_000_000, to_int, at_least(0))


@dataclass(frozen=True)
class HttpSettings:
    """Every outbound request: collect, send, the receiver (``beancan.http``)."""

    allow_private_addresses: bool = setting(False, to_bool)
    timeout: float = setting(10.0, to_positive_float, key="BEANCAN_HTTP_TIMEOUT")
    max_bytes: int = setting(2_000_000, to_int, at_least(1), key="BEANCAN_HTTP_MAX_BYTES")
    max_redirects: int = setting(5, to_int, key="BEANCAN_HTTP_MAX_REDIRECTS")
    concurrency: int = setting(16, to_int, at_least(1))
    per_host_concurrency: int = setting(2, to_int, at_least(1))


@dataclass(frozen=True)
class ReceiverSettings:
    """The receiver service (``beancan.receiver``; README "Receiver")."""

    #: SQLite file, or a postgresql:// URL; env BEANCAN_RECEIVER_DATABASE wins.
    database: str = setting("receiver.sqlite3", to_string, key="BEANCAN_RECEIVER_DATABASE")
    #: token for /api/mentions.jf2 deletions; env BEANCAN_RECEIVER_API_TOKEN wins.
    api_token: str = setting("", to_string, key="BEANCAN_RECEIVER_API_TOKEN")
    blocked_domains: tuple[str, ...] = setting(
        (), to_strings, key="BEANCAN_RECEIVER_BLOCKED_DOMAINS"
    )
    trusted_domains: tuple[str, ...] = setting(
        (), to_strings, key="BEANCAN_RECEIVER_TRUSTED_DOMAINS"
    )
    rate_per_domain: int = setting(60, to_int, key="BEANCAN_RECEIVER_RATE_PER_DOMAIN")
    rate_per_ip: int = setting(120, to_int, key="BEANCAN_RECEIVER_RATE_PER_IP")
    max_queue: int = setting(10_000, to_int, key="BEANCAN_RECEIVER_MAX_QUEUE")
    max_body: int = setting(100_000, to_int, key="BEANCAN_RECEIVER_MAX_BODY")
    workers: int = setting(8, to_int, key="BEANCAN_RECEIVER_WORKERS")
    claim_seconds: float = setting(60.0, to_positive_float, key="BEANCAN_RECEIVER_CLAIM_SECONDS")
    max_attempts: int = setting(5, to_int, key="BEANCAN_RECEIVER_MAX_ATTEMPTS")
    webhook: str = setting("", to_string, key="BEANCAN_RECEIVER_WEBHOOK")


@dataclass(frozen=True)
class ConversationSettings:
    """The conversations graph and person pages (``beancan.conversations``)."""

    #: {home_url: [alias_url, ...]}: other addresses of one person, merged into one.
    person_aliases: dict[str, tuple[str, ...]] = setting({}, to_dict_of_string_lists)
    #: people drawn in the graph (the table lists everyone).
    top: int = setting(60, to_int, at_least(1), key="BEANCAN_CONVERSATIONS_TOP")
    #: rows of the relationships table per page.
    per_page: int = setting(50, to_int, at_least(1), key="BEANCAN_CONVERSATIONS_PER_PAGE")
    #: conversations shown on /conversations/ (person pages show all of theirs).
    recent: int = setting(10, to_int, at_least(1), key="BEANCAN_CONVERSATIONS_RECENT")
    #: Atom feed of new conversations; "" for none.
    feed: str = setting("feeds/conversations.atom.xml", to_string, key="BEANCAN_CONVERSATIONS_FEED")
    #: home pages fetched per ``invoke collect`` for their rel=me links; 0: none.
    people_fetch_per_run: int = setting(50, to_int, at_least(0))
    #: days before a fetched home page is fetched again.
    people_refresh_days: int = setting(30, to_int, at_least(0))


@dataclass(frozen=True)
class WebmentionSettings:
    """Webmentions: collect from JF2 APIs, send (``beancan.webmention``; README "Webmentions")."""

    #: [{"url": ".../api/mentions.jf2", "token": "..."}] ("token_env": "VAR" reads the
    #: token from the environment instead, keeping it out of the settings file).
    apis: tuple[dict[str, str], ...] = setting(
        (), to_dicts_of_strings, urls_in_entries, key="BEANCAN_WEBMENTION_APIS"
    )
    #: page size asked of each API; every page is fetched whatever the API answers.
    per_page: int = setting(100, to_int, at_least(1), key="BEANCAN_WEBMENTION_PER_PAGE")
    #: days between full re-syncs that find mentions the API no longer lists (0: every run).
    resync_days: int = setting(7, to_int, at_least(0), key="BEANCAN_WEBMENTION_RESYNC_DAYS")
    #: attempts at one (source, target) before send gives up on 5xx and timeouts.
    send_max_attempts: int = setting(5, to_int, at_least(1))
    #: first retry delay in seconds; doubles with each attempt.
    send_retry_seconds: int = setting(3600, to_int, at_least(0))


@dataclass(frozen=True)
class AvatarSettings:
    """Authors' photos fetched at collect time (``beancan.avatar_fetch``)."""

    max_bytes: int = setting(1_000_000, to_int, at_least(1), key="BEANCAN_AVATAR_MAX_BYTES")
    #: larger images are refused before decoding (decompression bombs).
    max_pixels: int = setting(16_000_000, to_int, at_least(1), key="BEANCAN_AVATAR_MAX_PIXELS")
    #: cached avatars are resized to fit this many pixels a side.
    size: int = setting(128, to_int, at_least(1), key="BEANCAN_AVATAR_SIZE")
    refresh_days: int = setting(30, to_int, at_least(0), key="BEANCAN_AVATAR_REFRESH_DAYS")


@dataclass(frozen=True)
class PeerSettings:
    """Peer bloggers (``beancan.peers``; README "Peers")."""

    #: [{"name": ..., "url": home page, "feed": optional feed URL, "feeds": [more feeds]}]
    peers: tuple[dict[str, str], ...] = setting((), to_dicts_of_strings)
    #: an OPML file of more peers (outlines with xmlUrl/htmlUrl); "" for none.
    opml: str = setting("", to_string, key="BEANCAN_PEERS_OPML")
    #: recent posts per peer whose comment feeds (wfw:commentRss) are followed; 0: none.
    comment_feeds: int = setting(5, to_int, at_least(0), key="BEANCAN_PEER_COMMENT_FEEDS")
    #: consecutive failed runs after which the peers page marks a peer as gone.
    gone_after: int = setting(5, to_int, at_least(1), key="BEANCAN_PEER_GONE_AFTER")
    #: recent posts kept per peer in <data>/peer-posts.jsonl.
    posts_kept: int = setting(10, to_int, at_least(1), key="BEANCAN_PEER_POSTS_KEPT")
    #: peer posts in the "From the neighbourhood" list.
    neighbourhood_size: int = setting(6, to_int, at_least(0))
    #: pages of new entries fetched per peer and run to read their u-in-reply-to
    #: when the feed does not say; 0 (default): one request per feed, nothing more.
    page_checks: int = setting(0, to_int, at_least(0), key="BEANCAN_PEER_PAGE_CHECKS")


@dataclass(frozen=True)
class SocialSettings:
    """Mastodon and Bluesky copies of posts (``beancan.social``; README "Mastodon and Bluesky")."""

    #: {"host": "token"} for Mastodon-API servers; a value "env:VAR" reads the token
    #: from the environment variable VAR. Without one, a server's public limits apply.
    mastodon_tokens: dict[str, str] = setting({}, to_dict_of_strings, mastodon_hosts)
    #: the Bluesky AppView whose public XRPC API is read.
    bluesky_appview: str = setting(
        "https://public.api.bsky.app", to_string, http_url(required=True)
    )
    #: posts younger than this many days have their copies read on every collect ...
    recent_days: int = setting(14, to_int, at_least(0), key="BEANCAN_SOCIAL_RECENT_DAYS")
    #: ... younger than this many days once a day, older ones once a week.
    daily_days: int = setting(90, to_int, at_least(0), key="BEANCAN_SOCIAL_DAILY_DAYS")
    #: replies read per copy at most (deeper threads are cut, never half-stored).
    max_replies: int = setting(1000, to_int, at_least(1), key="BEANCAN_SOCIAL_MAX_REPLIES")
    #: pages of likes or reposts read per copy at most.
    max_pages: int = setting(20, to_int, at_least(1), key="BEANCAN_SOCIAL_MAX_PAGES")
