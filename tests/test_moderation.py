"""Moderation rules (``beancan.moderation``): each policy's initial status, blocks first."""

from __future__ import annotations

import pytest

from beancan.model import make_interaction
from beancan.moderation import ModerationRules, initial_status

POST = "https://tamsin.example/2026/03/the-smile-is-free/"


def response(source, author_url, status="pending", **extra):
    return make_interaction(
        source=source, target=POST, kind="reply", in_reply_to=[POST], status=status,
        author={"name": "Someone", "url": author_url}, content_html="<p>hello</p>", **extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "author", "expected"),
    [
        ("open", "https://stranger.example/", "approved"),
        ("manual", "https://friend.example/", "pending"),
        ("known", "https://friend.example/", "approved"),  # approved before
        ("known", "https://stranger.example/", "pending"),  # a first-timer waits
        ("known", "https://peer.example/", "approved"),  # in the blogroll
        ("known", "https://blog.peer.example/", "approved"),  # below a peer's domain
        ("open", "https://spam.example/", "spam"),  # blocked whatever the policy
    ],
)
def test_initial_status(policy, author, expected):
    rules = ModerationRules()
    rules.add("block", "domain", "spam.example")
    status = initial_status(
        response(author + "post", author),
        policy=policy,
        rules=rules,
        known={"friend.example"},
        peer_hosts={"peer.example:8080"},
    )
    assert status == expected
