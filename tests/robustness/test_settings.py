"""Issue 12, finding 5: a bad setting costs only its own key (tasks still stop)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from beancan.errors import ConfigError
from beancan.settings import BeancanSettings

GOOD = {
    "SITEURL": "https://blog.example",
    "BEANCAN_DATA_DIR": "/srv/blog/data",
    "BEANCAN_MODERATION": "open",
    "BEANCAN_PEERS": [{"name": "A", "url": "https://a.example/"}],
    "BEANCAN_FACEPILE_LIMIT": 8,
}


@pytest.mark.parametrize(
    ("key", "value", "default"),
    [
        ("BEANCAN_FACEPILE_LIMIT", 0, 12),
        ("BEANCAN_MODERATION", "everyone", "known"),
        ("BEANCAN_HTTP_TIMEOUT", "soon", 10.0),
        ("BEANCAN_WEBMENTION_APIS", [{"url": "ftp://x"}], ()),
        ("BEANCAN_PEER_GONE_AFTER", 0, 5),
    ],
)
def test_finding_5_a_bad_value_costs_only_its_own_key(caplog, key, value, default):
    with caplog.at_level(logging.ERROR):
        settings = BeancanSettings.from_pelican({**GOOD, key: value}, strict=False)
    name = key.removeprefix("BEANCAN_").lower()
    assert settings.lookup(name) == default
    assert settings.data_dir == Path("/srv/blog/data")
    assert settings.blogroll.peers == ({"name": "A", "url": "https://a.example/"},)
    if key != "BEANCAN_MODERATION":
        assert settings.moderation == "open"
    if key != "BEANCAN_FACEPILE_LIMIT":
        assert settings.comments.facepile_limit == 8
    [record] = caplog.records
    assert key in record.getMessage() and repr(value) in record.getMessage()
    assert f"using the default {default!r}" in record.getMessage()


def test_tasks_still_stop_on_any_bad_value():
    with pytest.raises(ConfigError, match="BEANCAN_FACEPILE_LIMIT has value 0"):
        BeancanSettings.from_pelican({**GOOD, "BEANCAN_FACEPILE_LIMIT": 0})
