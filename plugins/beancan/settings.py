"""Beancan's settings: every ``BEANCAN_`` key, its default, and its validation.

The defaults live here and only here, each field with its converter and its
checks beside it (``beancan._convert``). ``BeancanSettings.from_pelican`` builds
one frozen value from Pelican's settings dict (at the ``initialized`` signal
for plugins, or from a settings file for tasks and the receiver), and names
each bad key in the error.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import MISSING, Field, dataclass, fields
from pathlib import Path
from typing import Any

from . import __version__
from ._convert import (
    Invalid,
    at_least,
    http_url,
    mastodon_hosts,
    one_of,
    setting,
    to_bool,
    to_dict_of_string_lists,
    to_dict_of_strings,
    to_dicts_of_strings,
    to_int,
    to_path,
    to_positive_float,
    to_string,
    to_strings,
    urls_in_entries,
)
from .errors import ConfigError
from .urls import SiteURLs, canonical_url

__all__ = [
    "BeancanSettings",
    "get_settings",
    "load_settings_file",
    "resolve_data_dir",
    "settings_folder",
]

logger = logging.getLogger(__name__)

MODERATION_POLICIES = ("open", "known", "manual")


@dataclass(frozen=True)
class BeancanSettings:
    """All Beancan settings; attribute ``x_y`` is read from ``BEANCAN_X_Y``."""

    # --- the site and its author
    siteurl: str = setting("", to_string)
    sitename: str = setting("", to_string)
    #: relative to the settings file's folder, as Pelican resolves PATH (``_data_dir``).
    data_dir: Path = setting(Path("data"), to_path)
    site_aliases: tuple[str, ...] = setting((), to_strings)
    author: dict[str, str] = setting({}, to_dict_of_strings)
    rel_me: tuple[str, ...] = setting((), to_strings)
    webmention_endpoint: str = setting("", to_string, http_url(required=False))
    pingback_endpoint: str = setting("", to_string, http_url(required=False))
    # --- comments
    moderation: str = setting("known", to_string, one_of(MODERATION_POLICIES))
    thread_max_depth: int = setting(6, to_int, at_least(1))
    facepile_limit: int = setting(12, to_int, at_least(1))
    comment_max_chars: int = setting(1200, to_int, at_least(1))
    #: do the store's work in a second process beside Pelican's (background.py) ...
    background: bool = setting(True, to_bool)
    #: ... once the store has this many bytes (starting a process costs about 0.3 s).
    background_min_store: int = setting(2_000_000, to_int, at_least(0))
    # --- network (collect, send, receiver)
    allow_private_addresses: bool = setting(False, to_bool)
    http_timeout: float = setting(10.0, to_positive_float)
    http_max_bytes: int = setting(2_000_000, to_int, at_least(1))
    http_max_redirects: int = setting(5, to_int)
    concurrency: int = setting(16, to_int, at_least(1))
    per_host_concurrency: int = setting(2, to_int, at_least(1))
    # --- receiver service (beancan.receiver; README "Receiver")
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
    # --- conversations (beancan.conversations)
    #: {home_url: [alias_url, ...]}: other addresses of one person, merged into one.
    person_aliases: dict[str, tuple[str, ...]] = setting({}, to_dict_of_string_lists)
    #: people drawn in the graph (the table lists everyone).
    conversations_top: int = setting(60, to_int)
    #: rows of the relationships table per page.
    conversations_per_page: int = setting(50, to_int)
    #: conversations shown on /conversations/ (person pages show all of theirs).
    conversations_recent: int = setting(10, to_int)
    #: Atom feed of new conversations; "" for none.
    conversations_feed: str = setting("feeds/conversations.atom.xml", to_string)
    #: home pages fetched per ``invoke collect`` for their rel=me links; 0: none.
    people_fetch_per_run: int = setting(50, to_int, at_least(0))
    #: days before a fetched home page is fetched again.
    people_refresh_days: int = setting(30, to_int, at_least(0))
    # --- webmentions: collect from JF2 APIs, send (beancan.webmention; README "Webmentions")
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
    # --- avatars fetched at collect time (beancan.avatar_fetch)
    avatar_max_bytes: int = setting(1_000_000, to_int, at_least(1))
    #: larger images are refused before decoding (decompression bombs).
    avatar_max_pixels: int = setting(16_000_000, to_int, at_least(1))
    #: cached avatars are resized to fit this many pixels a side.
    avatar_size: int = setting(128, to_int, at_least(1))
    avatar_refresh_days: int = setting(30, to_int, at_least(0))
    # --- peer bloggers (beancan.peers; README "Peers")
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
    # --- Mastodon and Bluesky copies of posts (beancan.social; README "Mastodon and Bluesky")
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

    # Settings that are not plain values of the fields above.
    _PELICAN_KEYS = {"siteurl": "SITEURL", "sitename": "SITENAME"}

    @classmethod
    def from_pelican(cls, settings: dict[str, Any], *, strict: bool = True) -> BeancanSettings:
        """Read and validate every ``BEANCAN_`` key; unknown ones are logged by name.

        ``strict`` raises ConfigError for a bad value (tasks stop before they
        touch data). Otherwise a bad value costs only its own key: the error
        is logged with the key, the value and the default used instead, and
        every other key keeps its value, so a Pelican build goes on as the
        author meant it (data dir, moderation, peers ...).
        """
        values: dict[str, Any] = {}
        known = set()
        for spec in fields(cls):
            key = cls._PELICAN_KEYS.get(spec.name, "BEANCAN_" + spec.name.upper())
            known.add(key)
            if key in settings and settings[key] is not None:
                try:
                    values[spec.name] = _read(spec, settings[key])
                except Invalid as exc:
                    error = ConfigError(f"Setting {key} has value {settings[key]!r}: {exc}")
                    if strict:
                        raise error from None
                    logger.error("%s; using the default %r", error, _default(spec))
        if "data_dir" in values:
            values["data_dir"] = resolve_data_dir(values["data_dir"], settings)
        for key in sorted(settings):
            if key.startswith("BEANCAN_") and key not in known:
                logger.warning("Unknown setting %s: check its spelling in the README", key)
        return cls(**values)

    @property
    def site(self) -> SiteURLs:
        return SiteURLs(self.siteurl, self.site_aliases)

    @property
    def user_agent(self) -> str:
        return f"Beancan/{__version__} (+{self.siteurl or 'https://example.invalid'})"

    @property
    def author_urls(self) -> tuple[str, ...]:
        """Every URL that is our author: home page, rel=me profiles, site aliases."""
        urls = [self.author.get("url", ""), self.siteurl + "/", *self.rel_me]
        urls += [alias.rstrip("/") + "/" for alias in self.site_aliases]
        return tuple(u for u in dict.fromkeys(canonical_url(u) for u in urls) if u)


def _read(spec: Field[Any], written: Any) -> Any:
    """One field's value from what the settings file wrote; raises Invalid saying why not."""
    value = spec.metadata["convert"](written)
    for check in spec.metadata["checks"]:
        check(value)
    return value


def _default(spec: Field[Any]) -> Any:
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default


def resolve_data_dir(path: Path, settings: dict[str, Any]) -> Path:
    """``BEANCAN_DATA_DIR`` made absolute against the settings file's folder."""
    if path.is_absolute():
        return path
    folder = settings_folder(settings)
    return (folder / path) if folder is not None else path


def settings_folder(settings: dict[str, Any]) -> Path | None:
    """The folder of the settings file these settings were read from, if it is known.

    ``load_settings_file`` records the file. ``pelican -s FILE`` keeps no
    record of it, but ``pelican.settings.load_source`` leaves the file's
    module in ``sys.modules`` (under the file's name): the last such module
    whose Beancan settings, ``SITENAME`` and ``AUTHOR`` are these is the one.
    """
    recorded = settings.get(_FILE_KEY)
    if recorded:
        return Path(recorded).resolve().parent
    found = None
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", {})
        source = names.get("__file__")
        if not isinstance(source, str) or not source.endswith(".py"):
            continue
        keys = [k for k in names if k.startswith("BEANCAN_") or k in ("SITENAME", "AUTHOR")]
        if keys and all(names[k] == settings.get(k) for k in keys):
            found = Path(source).resolve().parent
    return found


def get_settings(settings: dict[str, Any]) -> BeancanSettings:
    """The BeancanSettings of one Pelican run, built once and kept in its settings dict."""
    cached = settings.get(_CACHE_KEY)
    if not isinstance(cached, BeancanSettings):
        cached = BeancanSettings.from_pelican(settings, strict=False)
        settings[_CACHE_KEY] = cached
    return cached


_CACHE_KEY = "_beancan_settings"


def load_settings_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Pelican's settings dict from a settings file, as ``pelican -s`` reads it."""
    from pelican.settings import read_settings

    settings_path = Path(path)
    if not settings_path.is_file():
        raise ConfigError(f"Settings file {settings_path} does not exist")
    settings = read_settings(str(settings_path))
    settings[_FILE_KEY] = str(settings_path.resolve())
    return settings


#: where ``load_settings_file`` records the file it read (Pelican keeps no record).
_FILE_KEY = "_beancan_settings_file"
