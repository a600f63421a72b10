"""The pure parts of issue 14: copy URLs, facets, consent, the schedule."""

from __future__ import annotations

import pytest

from beancan.social.consent import refuses_bio, refuses_labels
from beancan.social.copy_state import is_due
from beancan.social.facets import rich_text_html
from beancan.social.syndication import parse_copy
from tests.social.fakes import facet


@pytest.mark.parametrize(
    ("url", "platform", "origin", "post_id", "actor"),
    [
        ("https://mastodon.example/@ann/113000000000000001", "mastodon",
         "https://mastodon.example", "113000000000000001", ""),
        ("https://hometown.example/@ann@elsewhere.example/1130001", "mastodon",
         "https://hometown.example", "1130001", ""),
        ("https://mastodon.example/users/ann/statuses/1130002", "mastodon",
         "https://mastodon.example", "1130002", ""),
        ("https://akkoma.example/notice/AbC123xYz", "mastodon",
         "https://akkoma.example", "AbC123xYz", ""),
        ("https://gts.example/@ann/statuses/01HZX3Q9ABCDEF", "mastodon",
         "https://gts.example", "01HZX3Q9ABCDEF", ""),
        ("https://bsky.app/profile/ann.example/post/3kabc2def", "bluesky", "", "3kabc2def",
         "ann.example"),
        ("https://bsky.app/profile/did:plc:abc123/post/3kabc2def", "bluesky", "", "3kabc2def",
         "did:plc:abc123"),
    ],
)  # fmt: skip
def test_copy_urls_of_each_server_are_understood(url, platform, origin, post_id, actor):
    copy = parse_copy(url)
    assert (copy.platform, copy.origin, copy.post_id, copy.actor) == (
        platform, origin, post_id, actor,
    )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "https://mastodon.example/@ann",
        "https://mastodon.example/@ann/113/favourites",
        "https://bsky.app/profile/ann.example",
        "https://blog.example/2026/05/post/",
        "javascript:alert(1)",
        "",
    ],
)
def test_other_urls_are_not_copies(url):
    assert parse_copy(url) is None


def test_facets_index_utf8_bytes_not_characters():
    text = "日本語 🎉 https://x.example/ end"
    html = rich_text_html(
        text, [facet(text, "https://x.example/", {"$type": "app.bsky.richtext.facet#link",
                                                  "uri": "https://x.example/"})]
    )  # fmt: skip
    assert html == '<p>日本語 🎉 <a href="https://x.example/">https://x.example/</a> end</p>'


@pytest.mark.parametrize(
    "facets",
    [
        [{"index": {"byteStart": 5, "byteEnd": 999}, "features": [
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example/"}]}],
        [{"index": {"byteStart": 3, "byteEnd": 1}, "features": [
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example/"}]}],
        [{"index": {"byteStart": 0, "byteEnd": 3}, "features": [
            {"$type": "app.bsky.richtext.facet#link", "uri": "javascript:alert(1)"}]}],
        "not a list",
    ],
)  # fmt: skip
def test_bad_facets_leave_plain_escaped_text(facets):
    assert rich_text_html("<b>hi</b> there", facets) == "<p>&lt;b&gt;hi&lt;/b&gt; there</p>"


def test_overlapping_facets_keep_the_first():
    text = "abc def"
    link = {"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example/"}
    tag = {"$type": "app.bsky.richtext.facet#tag", "tag": "t"}
    facets = [
        {"index": {"byteStart": 0, "byteEnd": 5}, "features": [link]},
        {"index": {"byteStart": 4, "byteEnd": 7}, "features": [tag]},
    ]
    assert rich_text_html(text, facets) == '<p><a href="https://x.example/">abc d</a>ef</p>'


@pytest.mark.parametrize(
    ("bio", "html", "refuses"),
    [
        ("<p>No archives please <a href='/tags/nobot'>#<span>NoBot</span></a></p>", True, True),
        ("I build bots #nobridge", False, True),
        ("#NOBOT", False, True),
        ("I write #nobots for a living", False, False),
        ("email me: nobot@example", False, False),
        ("", False, False),
        (None, False, False),
    ],
)
def test_bios_that_refuse(bio, html, refuses):
    assert refuses_bio(bio, html=html) is refuses


def test_the_no_unauthenticated_label_refuses():
    assert refuses_labels([{"val": "!no-unauthenticated", "src": "did:plc:x"}])
    assert not refuses_labels([{"val": "porn"}])
    assert not refuses_labels("!no-unauthenticated")


NOW = "2026-06-30T12:00:00+00:00"


@pytest.mark.parametrize(
    ("published", "checked", "due", "recorded"),
    [
        ("2026-06-25T00:00:00+00:00", "", True, False),  # recent: every run, nothing written
        ("2026-06-25T00:00:00+00:00", "2026-06-30T11:00:00+00:00", True, False),
        ("2026-05-01T00:00:00+00:00", "", True, True),  # under 90 days: daily
        ("2026-05-01T00:00:00+00:00", "2026-06-30T01:00:00+00:00", False, True),
        ("2026-05-01T00:00:00+00:00", "2026-06-29T12:00:00+00:00", True, True),
        ("2025-01-01T00:00:00+00:00", "2026-06-26T12:00:00+00:00", False, True),  # weekly
        ("2025-01-01T00:00:00+00:00", "2026-06-23T12:00:00+00:00", True, True),
        ("", "2026-06-29T12:00:00+00:00", False, True),  # no date: old
    ],
)
def test_the_schedule(published, checked, due, recorded):
    assert is_due(published, checked, NOW, recent_days=14, daily_days=90) == (due, recorded)
