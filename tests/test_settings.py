"""Every settings error message, exactly: it names the key and the value and says what to do.

Tasks read settings strictly (``from_pelican(strict=True)``): the first bad key
raises ConfigError with the message below. A Pelican build logs the same
message with the default it uses instead (``tests/robustness/test_settings.py``).
"""

from __future__ import annotations

import logging

import pytest

from beancan.errors import ConfigError
from beancan.settings import BeancanSettings, CommentSettings, HttpSettings, setting_keys

AT_LEAST_ONE = [
    "THREAD_MAX_DEPTH", "FACEPILE_LIMIT", "COMMENT_MAX_CHARS", "CONCURRENCY",
    "PER_HOST_CONCURRENCY", "HTTP_MAX_BYTES", "WEBMENTION_PER_PAGE", "SEND_MAX_ATTEMPTS",
    "AVATAR_MAX_BYTES", "AVATAR_MAX_PIXELS", "AVATAR_SIZE", "PEER_GONE_AFTER",
    "PEER_POSTS_KEPT", "SOCIAL_MAX_REPLIES", "SOCIAL_MAX_PAGES", "CONVERSATIONS_TOP",
    "CONVERSATIONS_PER_PAGE", "CONVERSATIONS_RECENT",
]  # fmt: skip
NOT_NEGATIVE = [
    "WEBMENTION_RESYNC_DAYS", "SEND_RETRY_SECONDS", "AVATAR_REFRESH_DAYS",
    "PEOPLE_FETCH_PER_RUN", "PEOPLE_REFRESH_DAYS", "BACKGROUND_MIN_STORE",
    "PEER_COMMENT_FEEDS", "PEER_PAGE_CHECKS", "NEIGHBOURHOOD_SIZE",
    "SOCIAL_RECENT_DAYS", "SOCIAL_DAILY_DAYS",
]  # fmt: skip

MESSAGES = [
    # --- the value's type
    ("BEANCAN_BACKGROUND", "maybe", "not a valid bool"),
    ("BEANCAN_ALLOW_PRIVATE_ADDRESSES", 2, "not a valid bool"),
    ("BEANCAN_THREAD_MAX_DEPTH", "6", "not a whole number"),
    ("BEANCAN_CONVERSATIONS_TOP", True, "not a whole number"),
    ("BEANCAN_HTTP_TIMEOUT", "soon", "not a positive number"),
    ("BEANCAN_HTTP_TIMEOUT", 0, "not a positive number"),
    ("BEANCAN_RECEIVER_CLAIM_SECONDS", -1.5, "not a positive number"),
    ("BEANCAN_DATA_DIR", 3, "not a path"),
    ("BEANCAN_PEERS", [{"url": 1}], "not a list of dicts of strings"),
    ("BEANCAN_WEBMENTION_APIS", "https://a.example/api", "not a list of dicts of strings"),
    ("BEANCAN_SITE_ALIASES", "https://old.example", "not a list of strings"),
    ("BEANCAN_REL_ME", [1], "not a list of strings"),
    ("BEANCAN_PERSON_ALIASES", {"https://a.example/": "https://b.example/"},
     "not a dict of lists of strings"),
    ("BEANCAN_AUTHOR", ["Ann"], "not a dict"),
    ("BEANCAN_MASTODON_TOKENS", ["social.example"], "not a dict"),
    ("BEANCAN_MODERATION", 1, "not a string"),
    ("BEANCAN_PEERS_OPML", Ellipsis, "not a string"),
    # --- the value itself
    ("BEANCAN_MODERATION", "everyone", "use one of open, known, manual"),
    ("BEANCAN_WEBMENTION_ENDPOINT", "ftp://wm.example/", "not an http(s) URL"),
    ("BEANCAN_PINGBACK_ENDPOINT", "xmlrpc", "not an http(s) URL"),
    ("BEANCAN_BLUESKY_APPVIEW", "", "not an http(s) URL"),
    ("BEANCAN_BLUESKY_APPVIEW", "ftp://appview.example", "not an http(s) URL"),
    ("BEANCAN_MASTODON_TOKENS", {"https://social.example/": "t"},
     "the entry 'https://social.example/' is not usable; write "
     '{"host.example": "token"} (or "env:VARIABLE") with a bare host name'),
    ("BEANCAN_MASTODON_TOKENS", {"social.example": ""},
     "the entry 'social.example' is not usable; write "
     '{"host.example": "token"} (or "env:VARIABLE") with a bare host name'),
    ("BEANCAN_WEBMENTION_APIS", [{"token": "t"}], "the entry {'token': 't'} has no http(s) 'url'"),
    ("BEANCAN_WEBMENTION_APIS", [{"url": "ftp://x"}],
     "the entry {'url': 'ftp://x'} has no http(s) 'url'"),
    *((f"BEANCAN_{name}", 0, "must be at least 1") for name in AT_LEAST_ONE),
    *((f"BEANCAN_{name}", -1, "must not be negative") for name in NOT_NEGATIVE),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "says"), MESSAGES)
def test_a_bad_value_is_named_with_what_to_do(key, value, says):
    with pytest.raises(ConfigError) as caught:
        BeancanSettings.from_pelican({key: value})
    assert str(caught.value) == f"Setting {key} has value {value!r}: {says}"


@pytest.mark.parametrize(("key", "value", "says"), MESSAGES)
def test_a_build_logs_the_message_and_the_default(caplog, key, value, says):
    name = key.removeprefix("BEANCAN_").lower()
    with caplog.at_level(logging.ERROR, logger="beancan.settings"):
        settings = BeancanSettings.from_pelican({key: value}, strict=False)
    default = BeancanSettings().lookup(name)
    assert settings.lookup(name) == default
    assert [r.getMessage() for r in caplog.records] == [
        f"Setting {key} has value {value!r}: {says}; using the default {default!r}"
    ]


def test_an_unknown_key_is_a_warning_naming_it(caplog):
    with caplog.at_level(logging.WARNING, logger="beancan.settings"):
        BeancanSettings.from_pelican({"BEANCAN_FACEPILE_LIMT": 3})
    assert [r.getMessage() for r in caplog.records] == [
        "Unknown setting BEANCAN_FACEPILE_LIMT: check its spelling in the README"
    ]


def test_each_key_is_read_into_its_features_group():
    settings = BeancanSettings.from_pelican(
        {"BEANCAN_FACEPILE_LIMIT": 3, "BEANCAN_RECEIVER_WORKERS": 2, "BEANCAN_PEERS_OPML": "p.opml"}
    )
    assert settings.comments.facepile_limit == 3
    assert settings.receiver.workers == 2
    assert settings.blogroll.opml == "p.opml"


def test_of_and_lookup_use_the_documented_names():
    keys = setting_keys()
    assert len(keys) == len(set(keys)) == 61
    for key in keys:
        name = key.removeprefix("BEANCAN_").lower()
        marker = object()
        assert BeancanSettings.of(**{name: marker}).lookup(name) is marker
    assert BeancanSettings.of(facepile_limit=4, http_timeout=2.0) == BeancanSettings(
        comments=CommentSettings(facepile_limit=4), http=HttpSettings(timeout=2.0)
    )
    with pytest.raises(TypeError, match="no Beancan setting is named 'timeout'"):
        BeancanSettings.of(timeout=2.0)
