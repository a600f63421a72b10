"""Fixtures of the rel=me collector tests (people_collect.py): small web sites on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest


class Site:
    """One web site (its own port, so its own host): pages set per path, requests counted."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str]] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.requests.append(self.path)
                status, html = owner.pages.get(self.path, (404, "<p>not here</p>"))
                body = html.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll: shutdown() waits for it, four sites a test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def home(self, path: str = "/", *, rel_me: tuple[str, ...] = (), status: int = 200) -> str:
        """Serve a home page at ``path`` whose rel=me links are ``rel_me``; its URL."""
        links = "".join(f'<a rel="me" href="{u}">me elsewhere</a>' for u in rel_me)
        self.pages[path] = (status, f"<!doctype html><title>home</title><p>{links}</p>")
        return self.url(path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def sites() -> Iterator[list[Site]]:
    """Four web sites, closed (sockets and threads) after the test."""
    running = [Site() for _ in range(4)]
    yield running
    for site in running:
        site.close()
