"""Peer feeds served on 127.0.0.1, settings for a test site, and one collect run.

Imported by the tests as ``tests.peers.helpers``; the fixtures are in conftest.py.
"""

from __future__ import annotations

import asyncio
import email.utils
import http.server
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from beancan.collecting import CollectContext, SourceReport
from beancan.http import HttpClient
from beancan.moderation import ModerationRules
from beancan.peers.collect import collect_peer_feeds
from beancan.settings import BeancanSettings
from beancan.store import InteractionStore

FIXTURES = Path(__file__).parent / "fixtures"
OUR_SITE = "https://tamsin.example"
SMILE = "https://tamsin.example/2026/03/the-smile-is-free/"
BLOG = "https://tamsin.example/2026/01/why-i-still-keep-a-blog/"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int


class PeerServer:
    """A small HTTP server whose answers the test sets per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                route = owner.routes.get(self.path) or Route(b"not here", "text/plain", 404)
                if route.delay:
                    time.sleep(route.delay)
                status = route.status
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if status == 200 and _not_modified(self.headers, route):
                    status = 304
                body = b"" if status == 304 else route.body
                owner.seen.append(Seen(self.path, dict(self.headers.items()), status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Handler threads are joined at close: no thread outlives its test.
        self.server.daemon_threads = False
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: str | bytes, **options) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **options)
        return self.url(path)

    def serve_fixture(self, path: str, name: str, **options) -> str:
        text = (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base)
        return self.serve(path, text, **options)

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _not_modified(headers, route: Route) -> bool:
    # RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since.
    if headers.get("If-None-Match") is not None:
        return bool(route.etag) and headers["If-None-Match"] == route.etag
    since = headers.get("If-Modified-Since")
    if since and route.last_modified:
        return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
            route.last_modified
        )
    return False


def make_settings(data_dir: Path, peers: list[dict[str, str]], **extra) -> BeancanSettings:
    values = dict(
        siteurl=OUR_SITE,
        sitename="Tin Can Telephone",
        site_aliases=("https://www.tamsin.example",),
        data_dir=data_dir,
        author={"name": "Tamsin Hale", "url": "https://tamsin.example/"},
        rel_me=("https://social.example/@tamsin",),
        peers=tuple(peers),
        allow_private_addresses=True,
        http_timeout=2.0,
        moderation="known",
    )
    values.update(extra)
    return BeancanSettings.of(**values)


@dataclass
class Run:
    reports: list[SourceReport]
    store: InteractionStore
    context: CollectContext

    def found(self) -> set[tuple[str, str, str, str, str]]:
        """(source, target, kind, author name, direction) of every record, for exact asserts."""
        return {
            (i.source, i.target, i.kind, i.author.name, i.direction) for i in self.store
        }  # fmt: skip


def collect(settings: BeancanSettings, **http_overrides) -> Run:
    """One real collect of the peer feeds into the store in ``settings.data_dir``."""

    async def run() -> Run:
        store = InteractionStore.load(settings.data_dir)
        rules = ModerationRules.load(settings.data_dir)
        async with HttpClient.from_settings(settings, **http_overrides) as http:
            context = CollectContext(settings, store, http, rules)
            reports = await collect_peer_feeds(context)
        return Run(reports, InteractionStore.load(settings.data_dir), context)

    return asyncio.run(run())
