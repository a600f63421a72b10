"""Conditional GET, failures that lose nothing, gone peers, and discovery."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from beancan.collect import collect_all
from beancan.errors import BeancanError, SourceError
from beancan.peers.collect import PeerFailed
from beancan.peers.feed_state import load_posts, load_states
from beancan.store import InteractionStore
from beancan.urls import url_key
from tests.peers.helpers import BLOG, SMILE, Route, collect, make_settings

ETAG = '"v1-counter-talk"'
LAST_MODIFIED = "Tue, 17 Mar 2026 09:12:00 GMT"


def test_peer_failed_is_a_beancan_source_error():
    # Issue 16: every error Beancan raises on purpose is in its hierarchy.
    assert issubclass(PeerFailed, SourceError)
    assert issubclass(PeerFailed, BeancanError)


def _wordpress(server, **route):
    feed = server.serve_fixture("/wp/feed/", "wordpress.xml", **route)
    server.serve_fixture("/wp/2026/03/17/wall/feed/", "wordpress-comments.xml", **route)
    server.serve("/wp/2026/03/14/links/feed/", "", status=404)
    return feed


def test_second_run_sends_validators_and_costs_only_304s(server, tmp_path):
    feed = _wordpress(server, etag=ETAG, last_modified=LAST_MODIFIED)
    settings = make_settings(
        tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}]
    )
    first = collect(settings)
    store_bytes = (tmp_path / "interactions.jsonl").read_bytes()
    posts_bytes = (tmp_path / "peer-posts.jsonl").read_bytes()
    assert (first.reports[0].new, len(first.store)) == (3, 3)
    server.seen.clear()

    second = collect(settings)

    feeds = {s.path: s for s in server.seen}
    # Comment feeds are asked for even when the posts feed has not changed.
    assert sorted((s.path, s.status) for s in feeds.values()) == [
        ("/wp/2026/03/14/links/feed/", 404),  # never gave validators: asked plainly
        ("/wp/2026/03/17/wall/feed/", 304),
        ("/wp/feed/", 304),
    ]
    assert len(server.seen) == 3
    assert feeds["/wp/feed/"].headers["If-None-Match"] == ETAG
    assert feeds["/wp/feed/"].headers["If-Modified-Since"] == LAST_MODIFIED
    assert feeds["/wp/2026/03/17/wall/feed/"].headers["If-None-Match"] == ETAG
    assert "If-None-Match" not in feeds["/wp/2026/03/14/links/feed/"].headers
    assert (second.reports[0].new, second.reports[0].updated, second.reports[0].failed) == (
        0,
        0,
        "",
    )
    assert (tmp_path / "interactions.jsonl").read_bytes() == store_bytes
    assert (tmp_path / "peer-posts.jsonl").read_bytes() == posts_bytes


def test_last_modified_alone_is_sent_back(server, tmp_path):
    feed = server.serve_fixture("/hugo/index.xml", "hugo.xml", last_modified=LAST_MODIFIED)
    settings = make_settings(tmp_path, [{"name": "Teo", "url": server.url("/hugo/"), "feed": feed}])
    collect(settings)
    server.seen.clear()

    collect(settings)

    assert [(s.path, s.status) for s in server.seen] == [("/hugo/index.xml", 304)]
    assert server.seen[0].headers["If-Modified-Since"] == LAST_MODIFIED
    assert "If-None-Match" not in server.seen[0].headers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# failure: (how the feed answers on the later run, words the reason must contain)
FAILURES = {
    "slow": (Route(b"<rss/>", delay=1.2), "no complete answer within 0.5 s"),
    "huge": (Route(b"<rss>" + b" " * 60_000 + b"</rss>"), "over the 50000-byte cap"),
    "malformed": (Route(b"\x00\x01 this is not <xml", "application/rss+xml"), "not RSS or Atom"),
    "html page": (Route(b"<!doctype html><html><body><p>Moved!</p></body></html>", "text/html"),
                  "an HTML page, not a feed"),
    "redirect loop": (Route(status=302, headers={"Location": "/wp/feed/"}),
                      "more than 5 redirects"),
    "not found": (Route(b"", status=404), "feed not found (HTTP 404)"),
    "gone": (Route(b"", status=410), "feed gone (HTTP 410)"),
    "server error": (Route(b"", status=503), "feed answered HTTP 503"),
}  # fmt: skip


@pytest.mark.parametrize("failure", sorted([*FAILURES, "down"]))
def test_peer_failing_later_loses_nothing_and_is_named(server, tmp_path, caplog, failure):
    feed = _wordpress(server)
    peers = [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}]
    settings = make_settings(tmp_path, peers, http_timeout=0.5, http_max_bytes=50_000)
    collect(settings)
    before = {i.key: i for i in InteractionStore.load(tmp_path)}
    posts_before = load_posts(tmp_path)
    assert len(before) == 3
    if failure == "down":
        feed = f"http://127.0.0.1:{_free_port()}/wp/feed/"
        settings = make_settings(tmp_path, [{**peers[0], "feed": feed}], http_timeout=0.5)
        expected = "request failed"
    else:
        server.routes["/wp/feed/"], expected = FAILURES[failure]

    with caplog.at_level(logging.WARNING, logger="beancan.peers"):
        run = collect(settings)

    (report,) = run.reports
    assert expected in report.failed
    warning = next(r.getMessage() for r in caplog.records if r.name == "beancan.peers.collect")
    assert warning.startswith(f"Peer Counter Talk ({feed}): ")
    assert expected in warning
    assert {i.key: i for i in run.store} == before
    assert load_posts(tmp_path) == posts_before
    state = load_states(tmp_path)[server.url("/wp/")]
    assert (state.failures, state.last_error) == (1, report.failed)


def test_failures_count_runs_in_a_row_and_a_good_run_resets_them(server, tmp_path):
    feed = server.serve("/feed", "", status=410)
    settings = make_settings(tmp_path, [{"name": "Quiet", "url": server.url("/"), "feed": feed}])
    for _ in range(3):
        collect(settings)
    assert load_states(tmp_path)[server.url("/")].failures == 3

    server.serve_fixture("/feed", "hugo.xml")
    collect(settings)

    state = load_states(tmp_path)[server.url("/")]
    assert (state.failures, state.last_error) == (0, "")


HOME = """<!doctype html><html><head><title>Counter Talk</title>
<link rel="alternate" type="application/rss+xml" title="Counter Talk &raquo; Comments Feed" href="/wp/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Counter Talk &raquo; Feed" href="/wp/feed/">
<link rel="alternate" type="application/feed+json" title="JSON" href="/wp/feed/json/">
</head><body><p>Hello</p></body></html>"""  # noqa: E501


def test_feed_is_discovered_once_and_remembered(server, tmp_path):
    server.serve("/wp/", HOME, content_type="text/html; charset=UTF-8")
    _wordpress(server, etag=ETAG)
    settings = make_settings(tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/")}])

    first = collect(settings)
    state = load_states(tmp_path)[server.url("/wp/")]
    server.seen.clear()
    collect(settings)

    # The posts feed, not the comments feed listed before it.
    assert (state.feed, state.feed_type, state.discovered) == (
        server.url("/wp/feed/"), "rss", True
    )  # fmt: skip
    assert len(first.store) == 3
    assert server.paths()[0] == "/wp/feed/"  # no second visit to the home page
    assert "/wp/" not in server.paths()


def test_h_feed_home_page_is_the_feed_when_nothing_is_advertised(server, tmp_path):
    server.serve_fixture("/hfeed/", "hfeed.html", content_type="text/html")
    settings = make_settings(tmp_path, [{"name": "Wren", "url": server.url("/hfeed/")}])

    run = collect(settings)

    state = load_states(tmp_path)[server.url("/hfeed/")]
    assert (state.feed, state.feed_type) == (server.url("/hfeed/"), "h-feed")
    assert [(i.kind, url_key(i.target)) for i in run.store] == [("reply", url_key(BLOG))]


def test_home_page_without_any_feed_is_a_named_failure(server, tmp_path):
    server.serve(
        "/", "<!doctype html><html><body><p>Hi</p></body></html>", content_type="text/html"
    )
    settings = make_settings(tmp_path, [{"name": "Nobody", "url": server.url("/")}])

    run = collect(settings)

    assert run.reports[0].failed.startswith("no feed found on the home page")


def test_discovered_feed_that_is_gone_is_looked_for_again(server, tmp_path):
    server.serve("/wp/", HOME, content_type="text/html")
    _wordpress(server)
    settings = make_settings(tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/")}])
    collect(settings)
    server.serve("/wp/feed/", "", status=410)

    collect(settings)

    assert load_states(tmp_path)[server.url("/wp/")].feed == ""


def test_invoke_collect_runs_the_peer_collector_and_sets_peer_hosts(server, tmp_path):
    feed = _wordpress(server)
    settings = make_settings(
        tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}]
    )

    reports = asyncio.run(collect_all(settings))

    assert [(r.source, r.new, r.failed) for r in reports if r.source == server.url("/wp/")] == [
        (server.url("/wp/"), 3, "")
    ]
    store = InteractionStore.load(tmp_path)
    assert store.get(server.url("/wp/2026/03/17/wall/"), SMILE).status == "approved"


def test_new_comments_are_read_while_the_posts_feed_is_unchanged(server, tmp_path):
    feed = _wordpress(server, etag=ETAG)
    settings = make_settings(
        tmp_path, [{"name": "Counter Talk", "url": server.url("/wp/"), "feed": feed}]
    )
    collect(settings)
    comments = server.routes["/wp/2026/03/17/wall/feed/"]
    extra = (
        b"<item><title>By: Tamsin Hale</title><link>" + server.url("/wp/2026/03/17/wall/").encode()
        + b"#comment-20</link><dc:creator>Tamsin Hale</dc:creator>"
        b"<pubDate>Thu, 19 Mar 2026 08:00:00 +0000</pubDate>"
        b"<description>And thanks for the rota tip.</description></item></channel>"
    )  # fmt: skip
    comments.body = comments.body.replace(b"</channel>", extra)
    comments.etag = '"v2"'

    run = collect(settings)

    post = server.url("/wp/2026/03/17/wall/")
    assert (run.reports[0].new, run.reports[0].failed) == (1, "")
    added = run.store.get(post + "?replytocom=20", post)
    assert (added.direction, added.kind, added.author.name) == ("out", "reply", "Tamsin Hale")
    assert load_states(tmp_path)[server.url("/wp/")].comment_feeds[
        server.url("/wp/2026/03/17/wall/feed/")
    ] == {"post": post, "etag": '"v2"'}


def test_a_bad_line_in_peers_jsonl_costs_only_itself(server, tmp_path, caplog):
    # Issue 16: one unreadable line of the feed state used to stop collect.
    feed = server.serve_fixture("/hugo/index.xml", "hugo.xml", last_modified=LAST_MODIFIED)
    settings = make_settings(tmp_path, [{"name": "Teo", "url": server.url("/hugo/"), "feed": feed}])
    collect(settings)
    state = tmp_path / "peers.jsonl"
    header, good = state.read_text().splitlines()
    state.write_text(f'{header}\n{{not json\n{{"peer": 3}}\n{good}\n')
    server.seen.clear()

    run = collect(settings)

    assert [r.failed for r in run.reports] == [""]
    assert [s.status for s in server.seen] == [304]  # the good line's validators were used
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(f"{state}:2: invalid JSON" in w for w in warnings), warnings
    assert any(f"{state}:3: expected a peer record" in w for w in warnings), warnings
    assert state.read_text().splitlines() == [header, good]  # collect wrote it back clean
