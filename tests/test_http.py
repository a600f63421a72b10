"""The one HTTP client (``beancan.http``): its caps, redirects and errors, on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from beancan.errors import FetchError
from beancan.http import HttpClient, ResponseTooLarge


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]]

    def _answer(self) -> None:
        self.seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            where = f"/hop/{left - 1}" if left else "/ok"
            self._send(302, b"", {"Location": where})
        elif self.path == "/see-other":
            self._send(303, b"", {"Location": "/ok"})
        elif self.path == "/to-ftp":
            self._send(302, b"", {"Location": "ftp://files.example/x"})
        elif self.path == "/big":
            self._send(200, b"x" * 5000)
        elif self.path == "/big-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(5):
                self.wfile.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif self.path == "/gone":
            self._send(410, b"gone")
        else:
            self._send(200, b"hello")

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format, *args):  # quiet
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    seen: list[tuple[str, str, str]] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, method: str = "GET", **options):
    async def go():
        settings = {"user_agent": "Beancan/test", "allow_private": True, **options}
        async with HttpClient(**settings) as http:
            return await http.request(method, url)

    return asyncio.run(go())


def test_every_request_says_who_asks(server):
    base, seen = server
    response = fetch(base + "/ok")
    assert (response.status, response.content) == (200, b"hello")
    assert seen == [("GET", "/ok", "Beancan/test")]


def test_a_status_is_returned_not_raised(server):
    base, _ = server
    assert fetch(base + "/gone").status == 410


def test_redirects_are_followed_and_remembered(server):
    base, _ = server
    response = fetch(base + "/hop/2")
    assert response.url == base + "/ok"
    assert response.history == (base + "/hop/2", base + "/hop/1", base + "/hop/0")


def test_more_redirects_than_the_cap_fail_naming_the_url(server):
    base, _ = server
    with pytest.raises(FetchError, match=r"/hop/9: more than 3 redirects$"):
        fetch(base + "/hop/9", max_redirects=3)


def test_303_turns_a_post_into_a_get(server):
    base, seen = server
    fetch(base + "/see-other", "POST")
    assert [(m, p) for m, p, _ in seen] == [("POST", "/see-other"), ("GET", "/ok")]


def test_a_redirect_off_http_is_refused(server):
    base, _ = server
    with pytest.raises(FetchError, match="'ftp://files.example/x' is not an http"):
        fetch(base + "/to-ftp")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/big", "answer of 5000 bytes is over the 1000-byte cap"),
        ("/big-chunked", "answer is over the 1000-byte cap"),
    ],
)
def test_an_answer_over_the_size_cap_is_refused(server, path, says):
    base, _ = server
    with pytest.raises(ResponseTooLarge) as caught:
        fetch(base + path, max_bytes=1000)
    assert str(caught.value) == f"{base}{path}: {says}"
    assert caught.value.status == 200


def test_a_slow_answer_fails_at_the_timeout(server):
    base, _ = server
    with pytest.raises(FetchError, match="/slow: no complete answer within 0.5 s"):
        fetch(base + "/slow", timeout=0.5)


def test_a_url_that_is_not_http_fails_before_any_request(server):
    _, seen = server
    with pytest.raises(FetchError, match="is not an http"):
        fetch("file:///etc/passwd")
    assert seen == []
