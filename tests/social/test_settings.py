"""Issue 14's settings: defaults, and each bad value named in the error."""

from __future__ import annotations

import pytest

from beancan.errors import ConfigError
from beancan.settings import BeancanSettings


def test_defaults_read_the_public_appview_anonymously():
    settings = BeancanSettings.from_pelican({})
    assert settings.social.bluesky_appview == "https://public.api.bsky.app"
    assert settings.social.mastodon_tokens == {}
    assert (settings.social.recent_days, settings.social.daily_days) == (14, 90)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("BEANCAN_BLUESKY_APPVIEW", "ftp://appview.example", "BEANCAN_BLUESKY_APPVIEW"),
        ("BEANCAN_MASTODON_TOKENS", {"https://social.example/": "t"}, "bare host name"),
        ("BEANCAN_MASTODON_TOKENS", {"social.example": ""}, "BEANCAN_MASTODON_TOKENS"),
        ("BEANCAN_MASTODON_TOKENS", ["social.example"], "not a dict"),
        ("BEANCAN_SOCIAL_RECENT_DAYS", -1, "must not be negative"),
        ("BEANCAN_SOCIAL_MAX_REPLIES", 0, "must be at least 1"),
        ("BEANCAN_SOCIAL_MAX_PAGES", "many", "not a whole number"),
    ],
)
def test_bad_values_are_named(key, value, message):
    with pytest.raises(ConfigError, match=message) as caught:
        BeancanSettings.from_pelican({key: value})
    assert key in str(caught.value)
