"""Peers from BEANCAN_PEERS and an OPML file; bad entries are named."""

from __future__ import annotations

import pytest

from beancan.errors import ConfigError
from beancan.peers.config import Peer, load_peers, peer_hosts, peers_from_config
from tests.peers.helpers import make_settings

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Reading</title></head><body>
<outline text="Friends">
  <outline type="rss" text="Counter Talk (old name)" xmlUrl="https://rafe.example/feed/"
           htmlUrl="https://rafe.example/"/>
  <outline type="rss" text="Feed only" xmlUrl="https://feedonly.example/blog/atom.xml"/>
</outline>
<outline type="link" text="Just a site" url="https://site.example/"/>
</body></opml>
"""


def test_peers_come_from_settings_then_opml_once_each(tmp_path):
    (tmp_path / "peers.opml").write_text(OPML, encoding="utf-8")
    settings = make_settings(
        tmp_path,
        [{"name": "Counter Talk", "url": "https://RAFE.example"}],
        peers_opml=str(tmp_path / "peers.opml"),
    )

    # Listed in both: the settings' name, the OPML's feed (instead of discovering one).
    assert load_peers(settings) == [
        Peer("Counter Talk", "https://rafe.example/", "https://rafe.example/feed/"),
        Peer("Feed only", "https://feedonly.example/", "https://feedonly.example/blog/atom.xml"),
        Peer("Just a site", "https://site.example/"),
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "X", "url": "ftp://x.example/"}, "'url' is not an http(s) URL"),
        ({"name": "X", "url": "https://x.example/", "feed": "javascript:x"}, "'feed' is not"),
        ({"name": "X", "url": "https://x.example/", "rss": "https://x/"}, "unknown key(s) rss"),
    ],
)
def test_a_bad_peer_entry_is_named(entry, message):
    with pytest.raises(ConfigError) as caught:
        peers_from_config([{"name": "Fine", "url": "https://fine.example/"}, entry])
    assert str(caught.value).startswith("Setting BEANCAN_PEERS entry 2 (")
    assert message in str(caught.value)


def test_an_unreadable_opml_file_is_named(tmp_path):
    (tmp_path / "bad.opml").write_text("<opml><body>", encoding="utf-8")
    settings = make_settings(tmp_path, [], peers_opml=str(tmp_path / "bad.opml"))
    with pytest.raises(ConfigError, match=r"BEANCAN_PEERS_OPML: .*bad.opml is not valid XML"):
        load_peers(settings)


def test_peer_hosts_are_host_names_for_moderation():
    peers = [Peer("A", "https://a.example:8443/"), Peer("B", "https://medium.com/@b")]
    assert peer_hosts(peers) == {"a.example", "medium.com"}


def test_a_bad_number_setting_is_named(tmp_path):
    settings = make_settings(tmp_path, [], peer_gone_after=0)
    with pytest.raises(ConfigError, match="^Setting BEANCAN_PEER_GONE_AFTER must be at least 1$"):
        load_peers(settings)


def test_for_the_build_a_bad_peer_entry_costs_only_itself(tmp_path, caplog):
    # Issue 16: one bad entry used to leave the build with no peers page at all.
    entries = [
        {"name": "Fine", "url": "https://fine.example/"},
        {"name": "Broken", "url": "ftp://broken.example/"},
        {"name": "Also fine", "url": "https://also.example/"},
    ]
    settings = make_settings(tmp_path, entries)
    with pytest.raises(ConfigError):
        load_peers(settings)  # collect and `beancan check` still stop on it
    peers = load_peers(settings, skip_bad=True)
    assert [p.name for p in peers] == ["Fine", "Also fine"]
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.getMessage().startswith("Setting BEANCAN_PEERS entry 2 ({'name': 'Broken'")
    assert record.getMessage().endswith("this peer is left out until it is fixed")
