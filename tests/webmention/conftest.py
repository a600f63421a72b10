"""Servers on 127.0.0.1 for the Webmention tests: a routing HTTP server and settings."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from beancan.settings import BeancanSettings


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


Route = Callable[[Request], Reply]


class Server:
    """An HTTP server on 127.0.0.1 answering from a table of routes; records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Reply] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                route = server.routes.get(self.path) or server.routes.get(urlsplit(self.path).path)
                if route is None:
                    reply = Reply(404, "not here")
                else:
                    reply = route(request) if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer

            def log_message(self, format, *args):  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        return [
            r
            for r in self.requests
            if urlsplit(r.path).path == path and (method is None or r.method == method)
        ]

    def start(self) -> Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server().start()
    try:
        yield running
    finally:
        running.stop()


def make_settings(data_dir: Path, **overrides) -> BeancanSettings:
    values = dict(
        siteurl="https://blog.example",
        sitename="Test blog",
        data_dir=data_dir,
        allow_private_addresses=True,
        http_timeout=3.0,
        send_retry_seconds=0,
        send_max_attempts=3,
    )
    values.update(overrides)
    return BeancanSettings.of(**values)


@pytest.fixture
def settings(tmp_path: Path) -> BeancanSettings:
    return make_settings(tmp_path / "data")
