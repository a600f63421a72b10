"""Beancan's settings: every ``BEANCAN_`` key, its default, and its validation.

The defaults live here and only here. ``BeancanSettings.from_pelican`` builds
one frozen value from Pelican's settings dict (at the ``initialized`` signal
for plugins, or from a settings file for tasks and the receiver), and names
each bad key in the error.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from . import __version__
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
    siteurl: str = ""
    sitename: str = ""
    #: relative to the settings file's folder, as Pelican resolves PATH (``_data_dir``).
    data_dir: Path = Path("data")
    site_aliases: tuple[str, ...] = ()
    author: dict[str, str] = field(default_factory=dict)
    rel_me: tuple[str, ...] = ()
    webmention_endpoint: str = ""
    pingback_endpoint: str = ""
    # --- comments
    moderation: str = "known"
    thread_max_depth: int = 6
    facepile_limit: int = 12
    comment_max_chars: int = 1200
    #: do the store's work in a second process beside Pelican's (background.py) ...
    background: bool = True
    #: ... once the store has this many bytes (starting a process costs about 0.3 s).
    background_min_store: int = 2_000_000
    # --- network (collect, send, receiver)
    allow_private_addresses: bool = False
    http_timeout: float = 10.0
    http_max_bytes: int = 2_000_000
    http_max_redirects: int = 5
    concurrency: int = 16
    per_host_concurrency: int = 2
    # --- receiver service (beancan.receiver; README "Receiver")
    #: SQLite file, or a postgresql:// URL; env BEANCAN_RECEIVER_DATABASE wins.
    receiver_database: str = "receiver.sqlite3"
    #: token for /api/mentions.jf2 deletions; env BEANCAN_RECEIVER_API_TOKEN wins.
    receiver_api_token: str = ""
    receiver_blocked_domains: tuple[str, ...] = ()
    receiver_trusted_domains: tuple[str, ...] = ()
    receiver_rate_per_domain: int = 60
    receiver_rate_per_ip: int = 120
    receiver_max_queue: int = 10_000
    receiver_max_body: int = 100_000
    receiver_workers: int = 8
    receiver_claim_seconds: float = 60.0
    receiver_max_attempts: int = 5
    receiver_webhook: str = ""
    # --- conversations (beancan.conversations)
    #: {home_url: [alias_url, ...]}: other addresses of one person, merged into one.
    person_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: people drawn in the graph (the table lists everyone).
    conversations_top: int = 60
    #: rows of the relationships table per page.
    conversations_per_page: int = 50
    #: conversations shown on /conversations/ (person pages show all of theirs).
    conversations_recent: int = 10
    #: Atom feed of new conversations; "" for none.
    conversations_feed: str = "feeds/conversations.atom.xml"
    #: home pages fetched per ``invoke collect`` for their rel=me links; 0: none.
    people_fetch_per_run: int = 50
    #: days before a fetched home page is fetched again.
    people_refresh_days: int = 30
    # --- webmentions: collect from JF2 APIs, send (beancan.webmention; README "Webmentions")
    #: [{"url": ".../api/mentions.jf2", "token": "..."}] ("token_env": "VAR" reads the
    #: token from the environment instead, keeping it out of the settings file).
    webmention_apis: tuple[dict[str, str], ...] = ()
    #: page size asked of each API; every page is fetched whatever the API answers.
    webmention_per_page: int = 100
    #: days between full re-syncs that find mentions the API no longer lists (0: every run).
    webmention_resync_days: int = 7
    #: attempts at one (source, target) before send gives up on 5xx and timeouts.
    send_max_attempts: int = 5
    #: first retry delay in seconds; doubles with each attempt.
    send_retry_seconds: int = 3600
    # --- avatars fetched at collect time (beancan.avatar_fetch)
    avatar_max_bytes: int = 1_000_000
    #: larger images are refused before decoding (decompression bombs).
    avatar_max_pixels: int = 16_000_000
    #: cached avatars are resized to fit this many pixels a side.
    avatar_size: int = 128
    avatar_refresh_days: int = 30
    # --- peer bloggers (beancan.peers; README "Peers")
    #: [{"name": ..., "url": home page, "feed": optional feed URL, "feeds": [more feeds]}]
    peers: tuple[dict[str, str], ...] = ()
    #: an OPML file of more peers (outlines with xmlUrl/htmlUrl); "" for none.
    peers_opml: str = ""
    #: recent posts per peer whose comment feeds (wfw:commentRss) are followed; 0: none.
    peer_comment_feeds: int = 5
    #: consecutive failed runs after which the peers page marks a peer as gone.
    peer_gone_after: int = 5
    #: recent posts kept per peer in <data>/peer-posts.jsonl.
    peer_posts_kept: int = 10
    #: peer posts in the "From the neighbourhood" list.
    neighbourhood_size: int = 6
    #: pages of new entries fetched per peer and run to read their u-in-reply-to
    #: when the feed does not say; 0 (default): one request per feed, nothing more.
    peer_page_checks: int = 0
    # --- Mastodon and Bluesky copies of posts (beancan.social; README "Mastodon and Bluesky")
    #: {"host": "token"} for Mastodon-API servers; a value "env:VAR" reads the token
    #: from the environment variable VAR. Without one, a server's public limits apply.
    mastodon_tokens: dict[str, str] = field(default_factory=dict)
    #: the Bluesky AppView whose public XRPC API is read.
    bluesky_appview: str = "https://public.api.bsky.app"
    #: posts younger than this many days have their copies read on every collect ...
    social_recent_days: int = 14
    #: ... younger than this many days once a day, older ones once a week.
    social_daily_days: int = 90
    #: replies read per copy at most (deeper threads are cut, never half-stored).
    social_max_replies: int = 1000
    #: pages of likes or reposts read per copy at most.
    social_max_pages: int = 20

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
                    value = _coerce(key, settings[key], spec.default, spec.type)
                    _check(spec.name, value, settings[key])
                except ConfigError as exc:
                    if strict:
                        raise
                    logger.error("%s; using the default %r", exc, _default(spec))
                    continue
                values[spec.name] = value
        if "data_dir" in values:
            values["data_dir"] = resolve_data_dir(values["data_dir"], settings)
        for key in sorted(settings):
            if key.startswith("BEANCAN_") and key not in known:
                logger.warning("Unknown setting %s: check its spelling in the README", key)
        return cls(**values)

    def _validate(self) -> None:
        """Raise ConfigError for the first field whose value is not usable."""
        for spec in fields(self):
            _check(spec.name, getattr(self, spec.name))

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


#: fields that must be at least 1, or at least 0.
_AT_LEAST_ONE = frozenset({
    "thread_max_depth", "facepile_limit", "comment_max_chars", "concurrency",
    "per_host_concurrency", "http_max_bytes", "webmention_per_page", "send_max_attempts",
    "avatar_max_bytes", "avatar_max_pixels", "avatar_size", "peer_gone_after",
    "peer_posts_kept", "social_max_replies", "social_max_pages",
})  # fmt: skip
_NOT_NEGATIVE = frozenset({
    "webmention_resync_days", "send_retry_seconds", "avatar_refresh_days",
    "people_fetch_per_run", "people_refresh_days", "background_min_store",
    "peer_comment_feeds", "peer_page_checks", "neighbourhood_size",
    "social_recent_days", "social_daily_days",
})  # fmt: skip
_URLS = frozenset({"webmention_endpoint", "pingback_endpoint"})
#: URL fields that must not be empty.
_REQUIRED_URLS = frozenset({"bluesky_appview"})


def _check(name: str, value: Any, raw: Any = None) -> None:
    """Raise ConfigError naming ``BEANCAN_<NAME>`` when a coerced value is out of range.

    One field at a time, so a bad value never costs another key its value.
    ``raw`` is the value as the settings file wrote it, for the message.
    """
    key = "BEANCAN_" + name.upper()
    shown = f"Setting {key} has value {value if raw is None else raw!r}"
    if name == "moderation" and value not in MODERATION_POLICIES:
        raise ConfigError(f"{shown}: use one of {', '.join(MODERATION_POLICIES)}")
    if name in _URLS and value and not canonical_url(value):
        raise ConfigError(f"{shown}: not an http(s) URL")
    if name in _REQUIRED_URLS and not canonical_url(value):
        raise ConfigError(f"{shown}: not an http(s) URL")
    if name == "mastodon_tokens":
        for host, token in value.items():
            if not host or "/" in host or not token:
                raise ConfigError(
                    f"{shown}: the entry {host!r} is not usable; write "
                    '{"host.example": "token"} (or "env:VARIABLE") with a bare host name'
                )
    if name in _AT_LEAST_ONE and value < 1:
        raise ConfigError(f"{shown}: must be at least 1")
    if name in _NOT_NEGATIVE and value < 0:
        raise ConfigError(f"{shown}: must not be negative")
    if name == "webmention_apis":
        for api in value:
            url = api.get("url", "")
            if not isinstance(url, str) or not canonical_url(url):
                raise ConfigError(f"{shown}: the entry {api!r} has no http(s) 'url'")


def _default(spec: Any) -> Any:
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default


def _coerce(key: str, value: Any, default: Any, annotation: Any) -> Any:
    kind = str(annotation)
    if kind == "bool" or isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "false", "0", "no"):
            return value.lower() in ("true", "1", "yes")
        raise ConfigError(f"Setting {key} has value {value!r}: not a valid bool")
    if kind == "int" or (isinstance(default, int) and not isinstance(default, bool)):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"Setting {key} has value {value!r}: not a whole number")
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        raise ConfigError(f"Setting {key} has value {value!r}: not a positive number")
    if kind == "Path":
        if isinstance(value, str | os.PathLike):
            return Path(value)
        raise ConfigError(f"Setting {key} has value {value!r}: not a path")
    if kind.startswith("tuple[dict"):
        # A value may also be a list of strings (a peer's "feeds").
        if isinstance(value, list | tuple) and all(
            isinstance(v, dict) and all(_string_or_strings(x) for x in v.values()) for v in value
        ):
            return tuple(
                {str(k): v if isinstance(v, str) else tuple(v) for k, v in item.items()}
                for item in value
            )
        raise ConfigError(f"Setting {key} has value {value!r}: not a list of dicts of strings")
    if kind.startswith("tuple"):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"Setting {key} has value {value!r}: not a list of strings")
    if kind.startswith("dict[str, tuple"):
        if isinstance(value, dict) and all(
            isinstance(v, list | tuple) and all(isinstance(u, str) for u in v)
            for v in value.values()
        ):
            return {str(k): tuple(v) for k, v in value.items()}
        raise ConfigError(f"Setting {key} has value {value!r}: not a dict of lists of strings")
    if kind.startswith("dict"):
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        raise ConfigError(f"Setting {key} has value {value!r}: not a dict")
    if isinstance(value, str):
        return value
    raise ConfigError(f"Setting {key} has value {value!r}: not a string")


def _string_or_strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    )


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
