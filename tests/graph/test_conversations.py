"""Golden cases for conversation detection: which documents make one conversation."""

from __future__ import annotations

import random

import pytest

from beancan.graph import build_graph, find_conversations
from beancan.graph.exchanges import gather_exchanges
from tests.graph.helpers import ME, people, post, response

X = "https://x.example/"
Y = "https://y.example/"
P = "https://me.example/2026/01/p/"
N1 = "https://me.example/2026/01/n1/"
A = "https://x.example/2026/01/a/"
R1 = "https://x.example/notes/r1/"
R2 = "https://x.example/notes/r2/"


def conversations(interactions=(), posts=(), **kwargs):
    return find_conversations(gather_exchanges(interactions, posts, people(**kwargs)).documents)


def urls(conversation) -> list[str]:
    return [step.url for step in conversation.steps]


def test_chain_across_two_sites_is_one_conversation_in_order():
    found = conversations(
        [
            response(R1, P, X, "2026-01-03", in_reply_to=(P,)),
            response(R2, N1, X, "2026-01-05", in_reply_to=(N1,)),
        ],
        [post(P, "2026-01-02", reply_to=A), post(N1, "2026-01-04", reply_to=R1)],
    )
    assert len(found) == 1
    (conversation,) = found
    # A is known only from our reply's link to it: undated, it opens the chain.
    assert urls(conversation) == [A, P, R1, N1, R2]
    assert [s.answers for s in conversation.steps] == [(), (0,), (1,), (2,), (3,)]
    assert conversation.people == (X, ME)
    assert len(conversation.longest_chain()) == 5
    assert conversation.started == "2026-01-02T00:00:00+00:00"


def test_branching_replies_stay_one_conversation():
    found = conversations(
        [
            response("https://x.example/c1/", P, X, "2026-01-03"),
            response("https://y.example/c2/", P, Y, "2026-01-04"),
            response(
                "https://x.example/c3/", P, X, "2026-01-05", in_reply_to=("https://y.example/c2/",)
            ),  # fmt: skip
        ],
        [post(P, "2026-01-02")],
    )
    assert len(found) == 1
    steps = found[0].steps
    assert [s.url for s in steps] == [P, "https://x.example/c1/", "https://y.example/c2/",
                                      "https://x.example/c3/"]  # fmt: skip
    assert [s.answers for s in steps] == [(), (0,), (0,), (2,)]
    assert found[0].people == (ME, X, Y)
    assert [s.url for s in found[0].longest_chain()] == [P, "https://y.example/c2/",
                                                         "https://x.example/c3/"]  # fmt: skip


def test_a_loop_is_one_conversation_and_no_step_repeats():
    c1, c2 = "https://x.example/c1/", "https://y.example/c2/"
    found = conversations(
        [
            response(c1, P, X, "2026-01-03", in_reply_to=(c2,)),
            response(c2, P, Y, "2026-01-04", in_reply_to=(c1,)),
        ]
    )
    assert len(found) == 1
    assert urls(found[0]) == [c1, c2]
    # Only earlier steps can be answered, so the loop is cut where time says.
    assert [s.answers for s in found[0].steps] == [(), (0,)]


def test_unrelated_mentions_are_not_joined():
    b = "https://x.example/2026/01/b/"
    p2 = "https://me.example/2026/01/p2/"
    p3 = "https://me.example/2026/01/p3/"
    p4 = "https://me.example/2026/01/p4/"
    found = conversations(
        [response("https://x.example/likes/1/", P, X, "2026-01-01", kind="like")],
        [
            post(P, "2026-01-02", links=(A,)),
            post(p2, "2026-01-03", links=(b,)),
            # A link to someone's home page points at a person, not at a post.
            post(p3, "2026-01-04", links=(X, "https://x.example")),
            # Linking our own earlier post starts no conversation.
            post(p4, "2026-01-05", links=(P,)),
        ],
    )
    assert sorted(urls(c) for c in found) == [[A, P], [b, p2]]


def test_likes_and_one_site_alone_make_no_conversation():
    found = conversations(
        [
            response("https://x.example/likes/1/", P, X, "2026-01-03", kind="like"),
            response("https://x.example/reposts/1/", P, X, "2026-01-03", kind="repost"),
        ],
        [post(P, "2026-01-02"), post(N1, "2026-01-04", reply_to=P)],
    )
    assert found == []


def test_links_to_people_the_graph_does_not_know_are_citations():
    found = conversations([], [post(P, "2026-01-02", links=("https://news.example/story/",))])
    assert found == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_input_in_any_order_gives_the_same_graph(seed):
    interactions = [
        response(R1, P, X, "2026-01-03"),
        response("https://y.example/c2/", P, Y, "2026-01-04", in_reply_to=(R1,)),
        response(R2, N1, X, "2026-01-05", in_reply_to=(N1,)),
        response("https://y.example/likes/9/", P, Y, "2026-01-06", kind="like"),
    ]
    posts = [post(P, "2026-01-02", reply_to=A), post(N1, "2026-01-04", reply_to=R1)]
    expected = build_graph(interactions, posts, people())
    shuffled = interactions[:]
    random.Random(seed).shuffle(shuffled)
    again = build_graph(shuffled, list(reversed(posts)), people())
    assert again.conversations == expected.conversations
    assert again.relationships == expected.relationships
    assert again.people == expected.people
