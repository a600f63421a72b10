"""Reciprocity, counts, dates and the documented strength formula."""

from __future__ import annotations

import pytest

from beancan.graph import build_graph, strength
from tests.graph.helpers import people, post, response

X = "https://x.example/"
Y = "https://y.example/"
Z = "https://z.example/"
P = "https://me.example/2026/01/p/"


@pytest.fixture
def graph():
    return build_graph(
        [
            response("https://x.example/c1/", P, X, "2026-01-03"),
            response("https://y.example/likes/1/", P, Y, "2026-01-04", kind="like"),
            response(
                "https://y.example/likes/2/",
                "https://me.example/2026/02/q/",
                Y,
                "2026-02-04",
                kind="like",
            ),  # fmt: skip
            # Our comment found on Z's blog (a peer's comment feed).
            response(
                "https://z.example/post/#comment-3",
                "https://z.example/post/",
                "https://me.example/",
                "2026-03-01",
                direction="out",
            ),  # fmt: skip
        ],
        [
            post(P, "2026-01-02"),
            post(
                "https://me.example/2026/01/n/", "2026-01-05", reply_to="https://x.example/c1/"
            ),  # fmt: skip
        ],
        people(),
        me_name="Me",
    )


@pytest.mark.parametrize(
    ("person", "reciprocity", "count_in", "count_out"),
    [(X, "mutual", 1, 1), (Y, "in", 2, 0), (Z, "out", 0, 1)],
)
def test_reciprocity_and_counts(graph, person, reciprocity, count_in, count_out):
    relationship = graph.by_person[person]
    assert relationship.reciprocity == reciprocity
    assert relationship.mutual is (reciprocity == "mutual")
    assert (relationship.count_in, relationship.count_out) == (count_in, count_out)


def test_first_and_last_exchange(graph):
    relationship = graph.by_person[Y]
    assert relationship.first == "2026-01-04T00:00:00+00:00"
    assert relationship.last == "2026-02-04T00:00:00+00:00"


def test_mutual_outranks_one_way_of_the_same_volume(graph):
    ranked = [r.person for r in graph.relationships]
    assert ranked.index(X) < ranked.index(Y)


@pytest.mark.parametrize(
    ("w_in", "w_out", "conversations", "expected"),
    [
        (3, 0, 0, 3),  # one reply, never answered
        (3, 3, 0, 12),  # a reply each way: 3 + 3 + 2 × 3
        (0, 4, 1, 7),  # we wrote twice, one conversation: 4 + 3
        (1, 6, 2, 15),  # 1 + 6 + 2 × 1 + 3 × 2
    ],
)
def test_strength_formula(w_in, w_out, conversations, expected):
    assert strength(w_in, w_out, conversations) == expected


def test_strength_of_a_relationship_uses_kind_weights(graph):
    # X: a reply in (3), a reply out (3), one conversation: 3 + 3 + 6 + 3.
    assert graph.by_person[X].strength == 15
    # Y: two likes (1 each), nothing back.
    assert graph.by_person[Y].strength == 2
