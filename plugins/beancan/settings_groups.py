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
    http_timeout: float = setting(10.0, to_positive_float)
    http_max_bytes: int = setting(2_000_000, to_int, at_least(1))
    http_max_redirects: int = setting(5, to_int)
    concurrency: int = setting(16, to_int, at_least(1))
    per_host_concurrency: int = setting(2, to_int, at_least(1))


@dataclass(frozen=True)
class ReceiverSettings:
    """The receiver service (``beancan.receiver``; README "Receiver")."""

    #: SQLite file, or a postgresql:// URL; env BEANCAN_RECEIVER_DATABASE wins.
    receiver_database: str = setting("receiver.sqlite3", to_string)
    #: token for /api/mentions.jf2 deletions; env BEANCAN_RECEIVER_API_TOKEN wins.
    receiver_api_token: str = setting("", to_string)
    receiver_blocked_domains: tuple[str, ...] = setting((), to_strings)
    receiver_trusted_domains: tuple[str, ...] = setting((), to_strings)
    receiver_rate_per_domain: int = setting(60, to_int)
    receiver_rate_per_ip: int = setting(120, to_int)
    receiver_max_queue: int = setting(10_000, to_int)
    receiver_max_body: int = setting(100_000, to_int)
    receiver_workers: int = setting(8, to_int)
    receiver_claim_seconds: float = setting(60.0, to_positive_float)
    receiver_max_attempts: int = setting(5, to_int)
    receiver_webhook: str = setting("", to_string)


@dataclass(frozen=True)
class ConversationSettings:
    """The conversations graph and person pages (``beancan.conversations``)."""

    #: {home_url: [alias_url, ...]}: other addresses of one person, merged into one.
    person_aliases: dict[str, tuple[str, ...]] = setting({}, to_dict_of_string_lists)
    #: people drawn in the graph (the table lists everyone).
    conversations_top: int = setting(60, to_int, at_least(1))
    #: rows of the relationships table per page.
    conversations_per_page: int = setting(50, to_int, at_least(1))
    #: conversations shown on /conversations/ (person pages show all of theirs).
    conversations_recent: int = setting(10, to_int, at_least(1))
    #: Atom feed of new conversations; "" for none.
    conversations_feed: str = setting("feeds/conversations.atom.xml", to_string)
    #: home pages fetched per ``invoke collect`` for their rel=me links; 0: none.
    people_fetch_per_run: int = setting(50, to_int, at_least(0))
    #: days before a fetched home page is fetched again.
    people_refresh_days: int = setting(30, to_int, at_least(0))


@dataclass(frozen=True)
class WebmentionSettings:
    """Webmentions: collect from JF2 APIs, send (``beancan.webmention``; README "Webmentions")."""

    #: [{"url": ".../api/mentions.jf2", "token": "..."}] ("token_env": "VAR" reads the
    #: token from the environment instead, keeping it out of the settings file).
    webmention_apis: tuple[dict[str, str], ...] = setting((), to_dicts_of_strings, urls_in_entries)
    #: page size asked of each API; every page is fetched whatever the API answers.
    webmention_per_page: int = setting(100, to_int, at_least(1))
    #: days between full re-syncs that find mentions the API no longer lists (0: every run).
    webmention_resync_days: int = setting(7, to_int, at_least(0))
    #: attempts at one (source, target) before send gives up on 5xx and timeouts.
    send_max_attempts: int = setting(5, to_int, at_least(1))
    #: first retry delay in seconds; doubles with each attempt.
    send_retry_seconds: int = setting(3600, to_int, at_least(0))


@dataclass(frozen=True)
class AvatarSettings:
    """Authors' photos fetched at collect time (``beancan.avatar_fetch``)."""

    avatar_max_bytes: int = setting(1_000_000, to_int, at_least(1))
    #: larger images are refused before decoding (decompression bombs).
    avatar_max_pixels: int = setting(16_000_000, to_int, at_least(1))
    #: cached avatars are resized to fit this many pixels a side.
    avatar_size: int = setting(128, to_int, at_least(1))
    avatar_refresh_days: int = setting(30, to_int, at_least(0))


@dataclass(frozen=True)
class PeerSettings:
    """Peer bloggers (``beancan.peers``; README "Peers")."""

    #: [{"name": ..., "url": home page, "feed": optional feed URL, "feeds": [more feeds]}]
    peers: tuple[dict[str, str], ...] = setting((), to_dicts_of_strings)
    #: an OPML file of more peers (outlines with xmlUrl/htmlUrl); "" for none.
    peers_opml: str = setting("", to_string)
    #: recent posts per peer whose comment feeds (wfw:commentRss) are followed; 0: none.
    peer_comment_feeds: int = setting(5, to_int, at_least(0))
    #: consecutive failed runs after which the peers page marks a peer as gone.
    peer_gone_after: int = setting(5, to_int, at_least(1))
    #: recent posts kept per peer in <data>/peer-posts.jsonl.
    peer_posts_kept: int = setting(10, to_int, at_least(1))
    #: peer posts in the "From the neighbourhood" list.
    neighbourhood_size: int = setting(6, to_int, at_least(0))
    #: pages of new entries fetched per peer and run to read their u-in-reply-to
    #: when the feed does not say; 0 (default): one request per feed, nothing more.
    peer_page_checks: int = setting(0, to_int, at_least(0))


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
    social_recent_days: int = setting(14, to_int, at_least(0))
    #: ... younger than this many days once a day, older ones once a week.
    social_daily_days: int = setting(90, to_int, at_least(0))
    #: replies read per copy at most (deeper threads are cut, never half-stored).
    social_max_replies: int = setting(1000, to_int, at_least(1))
    #: pages of likes or reposts read per copy at most.
    social_max_pages: int = setting(20, to_int, at_least(1))
