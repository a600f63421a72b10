"""Sent Webmentions as outbound exchanges: one link, one exchange, however it was seen."""

from __future__ import annotations

from beancan.conversations.plugin import sent_mentions
from beancan.graph import SentMention, build_graph
from beancan.webmention.sentlog import SentEntry, SentLog
from tests.graph.helpers import ME, people, post, response

X = "https://x.example/"
NEW = "https://new.example/"
P = "https://me.example/2026/01/p/"
Q = "https://me.example/2026/01/q/"
X_POST = "https://x.example/2026/01/a/"
X_OTHER = "https://x.example/2026/01/b/"


def outbound(graph, person: str) -> list[tuple[str, str, str, str]]:
    return [(e.kind, e.url, e.target, e.date) for e in graph.by_person[person].outbound]


def test_a_sent_webmention_to_someone_new_is_an_exchange_and_a_link():
    graph = build_graph(
        [],
        [post(P, "2026-01-02", links=("https://new.example/2026/01/hi/",))],
        people(),
        sent=[SentMention(P, "https://new.example/2026/01/hi/", "2026-01-03T08:00:00+00:00")],
    )
    # Counted once, dated like the post that sent it.
    assert outbound(graph, NEW) == [
        ("mention", P, "https://new.example/2026/01/hi/", "2026-01-02T00:00:00+00:00")
    ]
    assert graph.by_person[NEW].reciprocity == "out"


def test_metadata_links_and_sent_webmentions_of_one_post_are_one_exchange():
    graph = build_graph(
        [response("https://x.example/c/1/", Q, X, "2026-01-05")],
        [
            post(P, "2026-01-02", reply_to=X_POST, links=(X_POST, X_OTHER, X_POST)),
            post(Q, "2026-01-04"),
        ],
        people(),
        sent=[
            SentMention(P, X_POST, "2026-01-02T10:00:00+00:00"),
            SentMention(P, X_OTHER, "2026-01-02T10:00:00+00:00"),
            SentMention(P, X_POST, "2026-01-02T10:00:00+00:00"),  # a duplicate line
        ],
    )
    assert outbound(graph, X) == [("reply", P, X_POST, "2026-01-02T00:00:00+00:00")]
    assert graph.by_person[X].count_in == 1


def test_a_sent_webmention_of_a_page_not_in_the_content_still_counts():
    page = "https://me.example/about/"
    graph = build_graph(
        [], [], people(), sent=[SentMention(page, X_POST, "2026-02-01T09:30:00Z")]
    )  # fmt: skip
    assert outbound(graph, X) == [("mention", page, X_POST, "2026-02-01T09:30:00+00:00")]


def test_one_post_mentioning_two_people_is_one_exchange_each():
    graph = build_graph(
        [],
        [post(P, "2026-01-02")],
        people(),
        sent=[SentMention(P, X_POST), SentMention(P, "https://new.example/x/")],
    )
    assert sorted(r.person for r in graph.relationships) == [NEW, X]
    assert [len(r.outbound) for r in graph.relationships] == [1, 1]


def test_webmentions_sent_to_ourselves_are_not_exchanges():
    graph = build_graph([], [post(P, "2026-01-02")], people(), sent=[SentMention(P, Q)])
    assert graph.relationships == []
    assert set(graph.people) == {ME}


def test_only_accepted_notifications_for_current_links_are_sent_mentions(tmp_path):
    log = SentLog(tmp_path / "sent.jsonl")
    when = "2026-01-03T08:00:00+00:00"
    for target, status, extra in [
        ("https://a.example/1/", "sent", {}),
        ("https://a.example/2/", "pinged", {}),
        ("https://a.example/3/", "no-endpoint", {}),
        ("https://a.example/4/", "rejected", {}),
        ("https://a.example/5/", "retry", {}),
        ("https://a.example/6/", "sent", {"linked": False}),
        ("https://a.example/7/", "sent", {"gone": True}),
    ]:
        log.put(SentEntry(P, target, status=status, last_attempt=when, **extra))
    assert sorted(sent_mentions(log), key=lambda m: m.target) == [
        SentMention(P, "https://a.example/1/", when),
        SentMention(P, "https://a.example/2/", when),
    ]
