"""from_jf2: each JF2 entry shape → the exact Interaction record."""

from __future__ import annotations

import pytest

from beancan.webmention.jf2 import deletion_of, from_jf2

TARGET = "https://blog.example/2026/01/post/"
BASE = {"type": "entry", "wm-id": 1, "wm-target": TARGET, "wm-protocol": "webmention"}

CASES = {
    "reply from a blog": (
        {
            "wm-source": "https://odile.example/2026/re-post",
            "url": "https://odile.example/2026/re-post",
            "wm-property": "in-reply-to",
            "in-reply-to": [TARGET, {"type": "cite", "url": "https://blog.example/c/1"}],
            "author": {
                "type": "card",
                "name": "Odile",
                "url": "https://odile.example/",
                "photo": "https://odile.example/me.jpg",
            },
            "content": {
                "html": '<p>Yes!<script>alert(1)</script> <a href="x">so</a></p>',
                "text": "Yes! so",
            },
            "published": "2026-01-05T10:00:00+01:00",
        },
        {
            "source": "https://odile.example/2026/re-post",
            "target": TARGET,
            "kind": "reply",
            "in_reply_to": [TARGET, "https://blog.example/c/1"],
            "author": {
                "name": "Odile",
                "url": "https://odile.example/",
                "photo": "https://odile.example/me.jpg",
            },
            "content_html": '<p>Yes! <a href="https://odile.example/2026/x" '
            'rel="ugc nofollow noopener">so</a></p>',
            "content_text": "Yes! so",
            "published": "2026-01-05T09:00:00+00:00",
            "channels": ["webmention"],
        },
    ),
    "like relayed by Bridgy keeps the original url and author": (
        {
            "wm-source": "https://brid.gy/like/mastodon/@t/1/sam",
            "url": "https://social.example/@sam/likes/1",
            "wm-property": "like-of",
            "like-of": TARGET,
            "author": {"name": "Sam", "url": "https://social.example/@sam"},
            "content": {"text": "likes this"},
            "wm-received": "2026-01-06T08:00:00Z",
        },
        {
            "source": "https://brid.gy/like/mastodon/@t/1/sam",
            "target": TARGET,
            "kind": "like",
            "url": "https://social.example/@sam/likes/1",
            "author": {"name": "Sam", "url": "https://social.example/@sam"},
            "published": "2026-01-06T08:00:00+00:00",
            "channels": ["webmention"],
        },
    ),
    "rsvp": (
        {
            "wm-source": "https://r.example/rsvp",
            "wm-property": "rsvp",
            "rsvp": "Yes",
            "content": {"text": "see you <there>"},
        },
        {
            "source": "https://r.example/rsvp",
            "target": TARGET,
            "kind": "rsvp",
            "rsvp": "yes",
            "content_html": "see you &lt;there&gt;",
            "content_text": "see you <there>",
            "channels": ["webmention"],
        },
    ),
    "pingback with an unknown property is a mention": (
        {
            "wm-source": "https://wp.example/?p=3",
            "wm-property": "something-new",
            "wm-protocol": "pingback",
        },
        {
            "source": "https://wp.example/?p=3",
            "target": TARGET,
            "kind": "mention",
            "channels": ["pingback"],
        },
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_from_jf2(name: str) -> None:
    entry, expected = CASES[name]
    record = from_jf2(BASE | entry).to_record()
    expected = {"status": "pending", "direction": "in", **expected}
    assert record == expected


@pytest.mark.parametrize(
    ("prop", "kind"),
    [
        ("in-reply-to", "reply"),
        ("like-of", "like"),
        ("repost-of", "repost"),
        ("bookmark-of", "bookmark"),
        ("mention-of", "mention"),
        ("rsvp", "rsvp"),
    ],
)
def test_wm_property_gives_the_kind(prop: str, kind: str) -> None:
    entry = BASE | {"wm-source": "https://a.example/1", "wm-property": prop}
    assert from_jf2(entry).kind == kind


def test_an_entry_without_a_usable_source_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="source 'javascript:alert' is not an http"):
        from_jf2(BASE | {"wm-source": "javascript:alert"})


def test_deletion_of() -> None:
    entry = {"wm-deleted": True, "wm-source": "https://a.example/1", "wm-target": TARGET}
    assert deletion_of(entry) == ("https://a.example/1", TARGET)
    assert deletion_of(entry | {"wm-deleted": "yes"}) is None
    assert deletion_of(BASE | {"wm-source": "https://a.example/1"}) is None
