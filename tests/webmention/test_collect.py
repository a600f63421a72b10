"""Collect against a fake webmention.io on 127.0.0.1: paging, since_id, re-sync, failures."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest

from beancan.collecting import CollectContext, SourceReport
from beancan.errors import BeancanError, SourceError
from beancan.http import HttpClient
from beancan.moderation import ModerationRules
from beancan.store import InteractionStore
from beancan.webmention.collect import ApiError, collect_webmention_apis

from .conftest import Reply, Request, Server

TOKEN = "s3cret-token"
PROPERTIES = ["in-reply-to", "like-of", "repost-of", "bookmark-of", "mention-of"]


def test_api_error_is_a_beancan_source_error():
    # Issue 16: every error Beancan raises on purpose is in its hierarchy.
    assert issubclass(ApiError, SourceError)
    assert issubclass(ApiError, BeancanError)


def mention(i: int) -> dict:
    prop = PROPERTIES[i % len(PROPERTIES)]
    target = f"https://blog.example/2026/01/post-{i % 8}/"
    entry = {
        "type": "entry",
        "wm-id": i,
        "wm-source": f"https://site{i % 37}.example/notes/{i}",
        "wm-target": target,
        "wm-property": prop,
        "wm-protocol": "webmention",
        "wm-received": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
        "url": f"https://site{i % 37}.example/notes/{i}",
        "author": {
            "type": "card",
            "name": f"Person {i % 37}",
            "url": f"https://site{i % 37}.example/",
        },
        prop: target,
    }
    if prop == "in-reply-to":
        entry["content"] = {"html": f"<p>Reply number {i}</p>", "text": f"Reply number {i}"}
    return entry


class FakeWebmentionIO:
    """webmention.io's /api/mentions.jf2: 20 a page whatever is asked, since_id, page."""

    PAGE = 20

    def __init__(self, count: int) -> None:
        self.mentions = {i: mention(i) for i in range(1, count + 1)}
        self.fail: Reply | None = None
        self.fail_on_page: int | None = None

    def __call__(self, request: Request) -> Reply:
        query = {k: v[0] for k, v in request.query.items()}
        if query.get("token") != TOKEN:
            return Reply(401, '{"error":"forbidden"}', content_type="application/json")
        page = int(query.get("page", 0))
        if self.fail is not None and (self.fail_on_page is None or page == self.fail_on_page):
            return self.fail
        since = int(query.get("since_id", 0))
        listed = [self.mentions[i] for i in sorted(self.mentions) if i > since]
        if query.get("sort-dir") != "up":
            listed.reverse()
        children = listed[page * self.PAGE : (page + 1) * self.PAGE]
        body = json.dumps({"type": "feed", "name": "Webmentions", "children": children})
        return Reply(200, body, content_type="application/json")


def api_pages(server: Server) -> list[dict[str, str]]:
    return [{k: v[0] for k, v in r.query.items()} for r in server.hits("/api/mentions.jf2")]


def collect(settings, *, full: bool = False) -> list[SourceReport]:
    async def run():
        store = InteractionStore.load(settings.data_dir)
        async with HttpClient.from_settings(settings) as http:
            context = CollectContext(settings, store, http, ModerationRules(), full_resync=full)
            return await collect_webmention_apis(context)

    return asyncio.run(run())


def live_keys(settings) -> set[tuple[str, str]]:
    store = InteractionStore.load(settings.data_dir)
    return {(i.source, i.target) for i in store if i.status != "deleted"}


def expected_keys(ids) -> set[tuple[str, str]]:
    return {(mention(i)["wm-source"], mention(i)["wm-target"]) for i in ids}


@pytest.fixture
def fake(server: Server) -> FakeWebmentionIO:
    api = FakeWebmentionIO(250)
    server.routes["/api/mentions.jf2"] = api
    return api


@pytest.fixture
def api_settings(settings, server: Server):
    apis = ({"url": server.url("/api/mentions.jf2"), "token": TOKEN},)
    return settings.replaced(webmention_apis=apis)


def test_250_mentions_then_5_new_then_2_deleted_by_resync(server, fake, api_settings) -> None:
    (report,) = collect(api_settings)
    assert (report.source, report.new, report.failed) == (server.url("/api/mentions.jf2"), 250, "")
    pages = api_pages(server)
    # 13 full-or-partial pages of 20, then the empty one that ends the listing.
    assert [p["page"] for p in pages] == [str(n) for n in range(14)]
    assert {p["per-page"] for p in pages} == {"100"} and "since_id" not in pages[0]
    assert live_keys(api_settings) == expected_keys(range(1, 251))

    for i in range(251, 256):
        fake.mentions[i] = mention(i)
    del fake.mentions[10], fake.mentions[20]
    server.requests.clear()
    (report,) = collect(api_settings)  # incremental: only what is newer than since_id
    assert (report.new, report.updated, report.deleted) == (5, 0, 0)
    assert {p["since_id"] for p in api_pages(server)} == {"250"}
    assert len(api_pages(server)) == 2
    assert live_keys(api_settings) == expected_keys(range(1, 256))

    (report,) = collect(api_settings, full=True)  # the re-sync finds what vanished
    assert (report.new, report.deleted) == (0, 2)
    assert live_keys(api_settings) == expected_keys(set(range(1, 256)) - {10, 20})
    store = InteractionStore.load(api_settings.data_dir)
    gone = store.get(mention(10)["wm-source"], mention(10)["wm-target"])
    assert gone.status == "deleted" and gone.content_html == ""


def test_resync_happens_by_itself_after_the_interval(server, fake, api_settings) -> None:
    collect(api_settings)
    state = api_settings.data_dir / "webmention-state.jsonl"
    text = state.read_text()
    first_line = json.loads(text.splitlines()[1])
    old = first_line["last_full_sync"]
    state.write_text(text.replace(old, "2000-01-01T00:00:00+00:00"))
    del fake.mentions[5]
    server.requests.clear()
    (report,) = collect(api_settings)
    assert "since_id" not in api_pages(server)[0]
    assert report.deleted == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("failure", "on_page", "reason"),
    [
        (Reply(500, "oops"), None, "page 0 answered HTTP 500"),
        (Reply(500, "oops"), 3, "page 3 answered HTTP 500"),
        (Reply(200, "<html>not json", content_type="text/html"), None, "page 0 is not JSON"),
        (
            Reply(200, '{"children": 5}', content_type="application/json"),
            1,
            "page 1 is not a JF2 feed",
        ),
        (Reply(200, "{}", delay=1.5), None, "page 0: no complete answer within 0.5 s"),
        ("down", None, "page 0: request failed"),
    ],
)
def test_a_failing_source_loses_nothing_and_deletes_nothing(
    server, fake, api_settings, failure, on_page, reason
) -> None:
    """Pages read before the failure are kept (issue 12); nothing else moves."""
    good = dict(api_settings.webmention.apis[0])
    collect(api_settings)
    live_before = live_keys(api_settings)
    store_before = (api_settings.data_dir / "interactions.jsonl").read_bytes()
    state_before = (api_settings.data_dir / "webmention-state.jsonl").read_bytes()
    for i in range(251, 261):
        fake.mentions[i] = mention(i)
    if failure == "down":
        api = {"url": f"http://127.0.0.1:{_closed_port()}/api/mentions.jf2", "token": TOKEN}
    else:
        fake.fail, fake.fail_on_page, api = failure, on_page, good
    failing = api_settings.replaced(webmention_apis=(api,), http_timeout=0.5)
    (report,) = collect(failing, full=True)  # a full run would also delete: it must not
    assert report.failed.startswith(reason)
    assert TOKEN not in report.failed
    assert (report.new, report.updated, report.deleted) == (0, 0, 0)
    assert live_keys(api_settings) == live_before
    if on_page is None:  # nothing was read, so nothing was written
        assert (api_settings.data_dir / "interactions.jsonl").read_bytes() == store_before
        assert (api_settings.data_dir / "webmention-state.jsonl").read_bytes() == state_before
    state = (api_settings.data_dir / "webmention-state.jsonl").read_text()
    assert json.loads(state.splitlines()[1])["since_id"] == 250  # never backwards


def test_one_failing_api_does_not_stop_another(server, fake, api_settings) -> None:
    down = {"url": f"http://127.0.0.1:{_closed_port()}/api/mentions.jf2", "token": "t"}
    both = api_settings.replaced(webmention_apis=(down, *api_settings.webmention.apis))
    failed, ok = collect(both)
    assert failed.failed and (ok.failed, ok.new) == ("", 250)


def test_deletions_reported_by_our_receiver_are_applied(server, fake, api_settings) -> None:
    collect(api_settings)
    gone = {
        "wm-id": 300,
        "wm-deleted": True,
        "wm-source": mention(7)["wm-source"],
        "wm-target": mention(7)["wm-target"],
    }
    also_gone = {"wm-source": mention(8)["wm-source"], "wm-target": mention(8)["wm-target"]}
    body = json.dumps({"children": [gone], "deleted": [also_gone]})
    server.routes["/api/mentions.jf2"] = lambda r: Reply(
        200, body if r.query.get("page") == ["0"] else '{"children": []}'
    )
    (report,) = collect(api_settings)
    assert report.deleted == 2
    assert live_keys(api_settings) == expected_keys(set(range(1, 251)) - {7, 8})


def test_no_apis_configured_makes_no_requests(server, settings) -> None:
    assert collect(settings) == []
    assert server.requests == []


def test_a_bad_line_in_the_collect_state_costs_only_itself(
    server, fake, api_settings, caplog
) -> None:
    # Issue 16: one unreadable line of webmention-state.jsonl used to stop collect.
    collect(api_settings)
    state = api_settings.data_dir / "webmention-state.jsonl"
    header, *lines = state.read_text().splitlines()
    state.write_text("\n".join([header, "{not json", '{"since_id": 3}', *lines]) + "\n")
    fake.mentions[251] = mention(251)
    server.requests.clear()

    (report,) = collect(api_settings)

    assert (report.new, report.failed) == (1, "")
    assert {p["since_id"] for p in api_pages(server)} == {"250"}  # the good lines were used
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(f"{state}:2: invalid JSON" in w for w in warnings), warnings
    assert any(f"{state}:3: every line needs an 'api' URL" in w for w in warnings), warnings
    assert "{not json" not in state.read_text()  # collect wrote it back clean
