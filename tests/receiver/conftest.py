"""Fixtures for the receiver: source sites on 127.0.0.1, settings, the app, PostgreSQL."""

from __future__ import annotations

import dataclasses
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from beancan.receiver import create_app
from beancan.settings import BeancanSettings

SITE = "https://site.example"
POST = f"{SITE}/2026/01/a-post/"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclasses.dataclass
class Page:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0


class SourceSite:
    """A real HTTP server on 127.0.0.1 (or another loopback address) serving set pages."""

    def __init__(self, host: str = "127.0.0.1", family: int = socket.AF_INET) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests.append(self.path)
                page = site.pages.get(self.path, Page(404, "not here"))
                if page.delay:
                    time.sleep(page.delay)
                body = page.body.encode()
                self.send_response(page.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **page.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                site.requests.append(f"POST {self.path} {self.rfile.read(length).decode()}")
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up (a cancelled check) is not a test failure

        self.server = Server((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.host = host if family == socket.AF_INET else f"[{host}]"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def reply(self, path: str, target: str = POST, text: str = "Nice post!", **extra) -> str:
        """Serve an h-entry replying to ``target`` at ``path``; returns its URL."""
        self.pages[path] = Page(body=reply_html(target, text, **extra))
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def reply_html(
    target: str,
    text: str,
    author: str = "Bea Reader",
    prop: str = "u-in-reply-to",
    author_url: str = "https://bea.example/",
) -> str:
    return f"""<!doctype html><html><head><title>Reply</title></head><body>
<article class="h-entry">
  <a class="{prop}" href="{target}">the post</a>
  <a class="p-author h-card" href="{author_url}">{author}</a>
  <div class="e-content"><p>{text}</p></div>
  <time class="dt-published" datetime="2026-02-03T04:05:06Z">3 Feb</time>
</article></body></html>"""


@pytest.fixture
def source_site() -> Iterator[SourceSite]:
    site = SourceSite()
    yield site
    site.close()


def make_settings(tmp_path: Path, database: str = "", **overrides: object) -> BeancanSettings:
    values: dict = dict(
        siteurl=SITE,
        site_aliases=("https://www.site.example",),
        data_dir=tmp_path / "data",
        moderation="open",
        allow_private_addresses=True,
        http_timeout=3.0,
        receiver_database=database or str(tmp_path / "receiver.sqlite3"),
        receiver_workers=4,
        receiver_rate_per_ip=100_000,
        receiver_rate_per_domain=100_000,
        receiver_api_token="secret",
    )
    values.update(overrides)
    return BeancanSettings.of(**values)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path) -> str:
    """Each receiver test runs on SQLite and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "receiver.sqlite3")
    return request.getfixturevalue("pg_database")


class RunningReceiver:
    """The app under uvicorn in a thread on 127.0.0.1, and an HTTP client for it."""

    def __init__(self, app: object) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.base_url, timeout=20)

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def running() -> Iterator[Callable[[object], RunningReceiver]]:
    """A factory running any ASGI app; everything started is stopped after the test."""
    started: list[RunningReceiver] = []

    def start(app: object) -> RunningReceiver:
        started.append(RunningReceiver(app))
        return started[-1]

    yield start
    for item in reversed(started):
        item.stop()


@pytest.fixture
def receiver(tmp_path, database, running) -> Callable[..., httpx.Client]:
    """A factory: ``receiver(**settings)`` runs the app (verifier included) for the test."""

    def start(**overrides: object) -> httpx.Client:
        settings = make_settings(tmp_path, database, **overrides)
        return running(create_app(settings)).client

    return start


def send(client: httpx.Client, source: str, target: str = POST, **headers: str):
    return client.post("/webmention", data={"source": source, "target": target}, headers=headers)


def wait_done(client: httpx.Client, location: str, timeout: float = 10.0) -> dict:
    """Poll a status URL until the verifier has a verdict."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(location).json()
        if status["status"] not in ("queued", "verifying") or time.monotonic() > deadline:
            return status
        time.sleep(0.02)


def mentions(client: httpx.Client, **params: str) -> list[dict]:
    response = client.get("/api/mentions.jf2", params=params)
    assert response.status_code == 200, response.text
    return response.json()["children"]


# --- PostgreSQL: a real server in a temporary cluster, for the whole session


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL 15 server on 127.0.0.1 for this session; its base URL."""
    if not (PG_BIN / "initdb").is_file():
        message = f"PostgreSQL server binaries are not in {PG_BIN} (apt install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="beancan-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(root, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, timeout=120)

    pg(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(root / "log"),
       "start")  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        pg(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_database(pg_server) -> str:
    """A fresh, empty database on the session's server."""
    import psycopg

    name = f"receiver_{next(_databases)}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{pg_server}/{name}"
