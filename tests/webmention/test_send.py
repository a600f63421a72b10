"""Sending: status codes, redirects, retries with backoff, and the pingback fallback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest

from beancan.webmention.send import send_webmentions
from beancan.webmention.sentlog import SentLog
from beancan.webmention.sources import OutgoingSource

from .conftest import Reply, Server

SOURCE = "https://blog.example/2026/02/a-post/"


def target_page(server: Server, path: str, endpoint: str) -> str:
    server.routes[path] = Reply(200, f'<html><head><link rel="webmention" href="{endpoint}">')
    return server.url(path)


def send(settings, targets, digest="v1", **kwargs):
    sources = [OutgoingSource(SOURCE, tuple(targets), digest)]
    return asyncio.run(send_webmentions(settings, sources, **kwargs))


@pytest.mark.parametrize("status", [200, 201, 202])
def test_any_2xx_is_success_and_location_is_recorded(server: Server, settings, status) -> None:
    target = target_page(server, "/post", "/wm")
    headers = [("Location", "/wm/status/7")] if status != 200 else []
    server.routes["/wm"] = Reply(status, "ok", headers)
    report = send(settings, [target])
    assert report.counts == {"sent": 1}
    entry = SentLog.load(settings.data_dir).get(SOURCE, target)
    assert (entry.status, entry.http_status, entry.protocol) == ("sent", status, "webmention")
    assert entry.endpoint == server.url("/wm")
    assert entry.location == (server.url("/wm/status/7") if status != 200 else "")
    assert entry.attempts == 1 and entry.hash == "v1"
    # User-Agent from settings on every request.
    assert {r.headers["user-agent"] for r in server.requests} == {settings.user_agent}


@pytest.mark.parametrize("status", [307, 308, 301, 302])
def test_a_redirecting_receiver_gets_the_post_at_its_new_address(
    server: Server, settings, status
) -> None:
    target = target_page(server, "/post", "/old-endpoint")
    server.routes["/old-endpoint"] = Reply(status, "", [("Location", "/new-endpoint")])
    server.routes["/new-endpoint"] = Reply(201, "", [("Location", "/status/1")])
    report = send(settings, [target])
    assert report.counts == {"sent": 1}
    (post,) = server.hits("/new-endpoint", "POST")
    assert post.form == {"source": [SOURCE], "target": [target]}
    entry = SentLog.load(settings.data_dir).get(SOURCE, target)
    assert entry.location == server.url("/status/1")


def test_a_target_that_redirects_is_discovered_at_its_final_url(server: Server, settings):
    server.routes["/moved"] = Reply(301, "", [("Location", "/posts/here/")])
    target_page(server, "/posts/here/", "endpoint")
    server.routes["/posts/here/endpoint"] = Reply(202)
    target = server.url("/moved")
    assert send(settings, [target]).counts == {"sent": 1}
    (post,) = server.hits("/posts/here/endpoint", "POST")
    # The target sent is the link as written in the post, not where it redirected.
    assert post.form["target"] == [target]


def test_4xx_is_permanent_and_not_retried(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    server.routes["/wm"] = Reply(400, "target not supported")
    assert send(settings, [target]).counts == {"rejected": 1}
    entry = SentLog.load(settings.data_dir).get(SOURCE, target)
    assert (entry.status, entry.http_status, entry.error) == (
        "rejected",
        400,
        "target not supported",
    )
    before = len(server.requests)
    assert send(settings, [target]).jobs == []
    assert len(server.requests) == before


def test_5xx_is_retried_with_backoff_then_given_up(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    server.routes["/wm"] = Reply(503, "busy")
    # With a one-hour backoff, the next run does not retry yet.
    slow = settings.replaced(send_retry_seconds=3600)
    assert send(slow, [target]).counts == {"retry": 1}
    assert send(slow, [target]).jobs == []
    # With no backoff, it retries until BEANCAN_SEND_MAX_ATTEMPTS (3), then gives up.
    assert send(settings, [target]).counts == {"retry": 1}
    assert send(settings, [target]).counts == {"gave-up": 1}
    assert send(settings, [target]).jobs == []
    assert len(server.hits("/wm", "POST")) == 3
    assert SentLog.load(settings.data_dir).get(SOURCE, target).attempts == 3


def test_a_timeout_is_retried_on_a_later_run(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    server.routes["/wm"] = Reply(202, delay=1.5)
    report = send(settings.replaced(http_timeout=0.5), [target])
    assert report.counts == {"retry": 1}
    server.routes["/wm"] = Reply(202)
    report = send(settings, [target])
    assert [(j.reason, o.status) for j, o in report.results] == [("retry", "sent")]
    assert SentLog.load(settings.data_dir).get(SOURCE, target).attempts == 2


def test_no_endpoint_is_recorded_and_not_asked_again(server: Server, settings) -> None:
    server.routes["/plain"] = Reply(200, "<html><body>no endpoints here</body></html>")
    target = server.url("/plain")
    assert send(settings, [target]).counts == {"no-endpoint": 1}
    assert send(settings, [target]).jobs == []


def test_loopback_targets_are_refused_without_the_setting(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    report = send(settings.replaced(allow_private_addresses=False), [target])
    assert report.counts == {"rejected": 1}
    assert "private, loopback or reserved" in report.results[0][1].error
    assert server.requests == []


def test_dry_run_lists_jobs_and_sends_nothing(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    report = send(settings, [target], dry_run=True)
    assert [(j.source, j.target, j.reason) for j in report.jobs] == [(SOURCE, target, "new")]
    assert server.requests == [] and len(SentLog.load(settings.data_dir)) == 0


# --- pingback fallback, against a real XML-RPC server


class _WordPressPaths(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/xmlrpc.php",)


class _XmlRpcServer:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.httpd = SimpleXMLRPCServer(
            ("127.0.0.1", 0), requestHandler=_WordPressPaths, logRequests=False
        )
        self.httpd.register_function(self.ping, "pingback.ping")
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def ping(self, source: str, target: str) -> str:
        import xmlrpc.client

        self.calls.append((source, target))
        if target.endswith("/no-link"):
            raise xmlrpc.client.Fault(17, "The source URI does not contain a link to the target")
        if target.endswith("/again"):
            raise xmlrpc.client.Fault(48, "The pingback has already been registered")
        return "Pingback registered."

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/xmlrpc.php"


@pytest.fixture
def xmlrpc_server() -> Iterator[_XmlRpcServer]:
    rpc = _XmlRpcServer()
    rpc.thread.start()
    try:
        yield rpc
    finally:
        rpc.httpd.shutdown()
        rpc.httpd.server_close()
        rpc.thread.join(5)


def test_pingback_fallback_by_header_and_by_link(server, settings, xmlrpc_server) -> None:
    server.routes["/wp/header"] = Reply(200, "<p>old blog</p>", [("X-Pingback", xmlrpc_server.url)])
    server.routes["/wp/link"] = Reply(200, f'<link rel="pingback" href="{xmlrpc_server.url}">')
    targets = [server.url("/wp/header"), server.url("/wp/link")]
    report = send(settings, targets)
    assert report.counts == {"pinged": 2}
    assert sorted(xmlrpc_server.calls) == [(SOURCE, t) for t in targets]
    log = SentLog.load(settings.data_dir)
    for target in targets:
        entry = log.get(SOURCE, target)
        assert (entry.protocol, entry.endpoint, entry.status) == (
            "pingback",
            xmlrpc_server.url,
            "pinged",
        )


def test_webmention_wins_over_pingback(server, settings, xmlrpc_server) -> None:
    server.routes["/both"] = Reply(
        200, '<link rel="webmention" href="/wm">', [("X-Pingback", xmlrpc_server.url)]
    )
    server.routes["/wm"] = Reply(202)
    assert send(settings, [server.url("/both")]).counts == {"sent": 1}
    assert xmlrpc_server.calls == []


def test_pingback_faults_are_recorded(server, settings, xmlrpc_server) -> None:
    for path in ("/wp/no-link", "/wp/again"):
        server.routes[path] = Reply(200, "", [("X-Pingback", xmlrpc_server.url)])
    send(settings, [server.url("/wp/no-link"), server.url("/wp/again")])
    log = SentLog.load(settings.data_dir)
    refused = log.get(SOURCE, server.url("/wp/no-link"))
    assert (refused.status, refused.error) == (
        "rejected",
        "fault 17: The source URI does not contain a link to the target",
    )
    # Fault 48 "already registered" means the receiver has it: a success.
    assert log.get(SOURCE, server.url("/wp/again")).status == "pinged"


def test_a_target_linked_by_two_posts_is_discovered_once(server: Server, settings) -> None:
    target = target_page(server, "/post", "/wm")
    server.routes["/wm"] = Reply(202)
    sources = [
        OutgoingSource(SOURCE, (target,), "a"),
        OutgoingSource(SOURCE + "2/", (target,), "b"),
    ]
    report = asyncio.run(send_webmentions(settings, sources))
    assert report.counts == {"sent": 2}
    assert len(server.hits("/post", "GET")) == 1
    assert sorted(r.form["source"][0] for r in server.hits("/wm", "POST")) == [
        SOURCE,
        SOURCE + "2/",
    ]
