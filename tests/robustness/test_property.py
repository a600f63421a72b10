"""Issue 12, the property: whatever a JF2 API and a peer's feed serve, collect
exits 0, stores every good entry, and the store loads.

One local server serves all examples: its JF2 entries and its feed are a
mutable payload each example replaces (starting a server per example would
cost more than the examples themselves).
"""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancan.store import InteractionStore
from tests.robustness.helpers import JF2Server, api_settings, good_entry, post, run_collect

JF2_KEYS = [
    "wm-id", "wm-source", "wm-target", "wm-property", "wm-protocol", "wm-received",
    "wm-private", "wm-deleted", "url", "author", "content", "published", "updated",
    "name", "in-reply-to", "rsvp", "type",
]  # fmt: skip

_text = st.text(max_size=40)
_huge = st.integers(10_000, 150_000).map(lambda n: "x" * n)
_urlish = st.builds(
    lambda scheme, rest: f"{scheme}{rest}",
    st.sampled_from(["http://", "https://", "javascript:", "//", "http://[", "https://a.example:"]),
    _text,
)
_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _text,
                  _urlish, _huge)  # fmt: skip
_junk = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
#: good entries with some fields replaced by junk (ids far from the good ones).
_mutants = st.builds(
    lambda wm_id, changes: good_entry(wm_id, **changes),
    st.integers(1000, 2000),
    st.dictionaries(st.sampled_from(JF2_KEYS), _junk, min_size=1, max_size=4),
)
_bad_entries = st.lists(st.one_of(_mutants, _junk), max_size=6)

#: text that is valid in XML 1.0 (no surrogates, no control characters but newline).
_xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.just("\n"),
    max_size=60,
)


def _atom_entry(link: str, title: str, content: str) -> str:
    return (
        f'<entry><title>{escape(title)}</title><link rel="alternate" href="{escape(link)}"/>'
        f"<id>{escape(link)}</id><updated>2026-02-01T10:00:00Z</updated>"
        f'<content type="html">{escape(content)}</content></entry>'
    )


_good_feed_entries = st.sets(st.integers(1, 99), max_size=4)
_bad_feed_entries = st.lists(
    st.builds(_atom_entry, _xml_text | _urlish.map(str), _xml_text | _huge, _xml_text | _huge),
    max_size=4,
)


#: a RAM-backed folder where there is one: each example fsyncs a dozen files,
#: which on a disk shared with other test runs costs more than the example.
_MEMORY = "/dev/shm" if Path("/dev/shm").is_dir() else None


@pytest.fixture(scope="module")
def shared_server():
    server = JF2Server()
    yield server
    server.close()


def _feed(server: JF2Server, good: set[int], bad: list[str]) -> bytes:
    entries = [
        _atom_entry(server.url(f"/peer/{n}/"), f"Post {n}", f'<a href="{post(n)}">yours</a>')
        for n in sorted(good)
    ]
    entries[len(entries) // 2 : len(entries) // 2] = bad
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Peer</title><id>{server.url('/peer/')}</id>"
        f"<updated>2026-02-01T10:00:00Z</updated>{''.join(entries)}</feed>"
    ).encode()


@pytest.mark.slow
@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    good_ids=st.sets(st.integers(1, 999), max_size=5),
    bad=_bad_entries,
    good_feed=_good_feed_entries,
    bad_feed=_bad_feed_entries,
    data=st.data(),
)
def test_collect_survives_whatever_the_api_and_feed_serve(
    shared_server, good_ids, bad, good_feed, bad_feed, data
):
    good = [good_entry(i) for i in sorted(good_ids)]
    shared_server.entries = data.draw(st.permutations(good + bad))
    shared_server.files["/peer/feed.xml"] = (
        200, "application/atom+xml", _feed(shared_server, good_feed, bad_feed)
    )  # fmt: skip
    peer = {"name": "Peer", "url": shared_server.url("/peer/"),
            "feed": shared_server.url("/peer/feed.xml")}  # fmt: skip
    with tempfile.TemporaryDirectory(dir=_MEMORY) as folder:
        settings_ = api_settings(Path(folder), shared_server, peers=(peer,), peer_comment_feeds=0)
        run = run_collect(settings_)
        assert run.exit_code() == 0
        assert [r.failed for r in run] == ["", ""], [r.failed for r in run]
        store = InteractionStore.load(Path(folder))
        assert store.skipped == []
        for entry in good:
            assert store.get(entry["wm-source"], entry["wm-target"]) is not None, entry["wm-id"]
        for n in good_feed:
            assert store.get(shared_server.url(f"/peer/{n}/"), post(n)) is not None, n
