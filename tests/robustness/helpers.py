"""A JF2 Webmention API on 127.0.0.1 whose entries a test sets, and one collect run.

Imported by the tests as ``tests.robustness.helpers``. The server is plain
``http.server`` in a thread; its entries are a mutable list, so a property
test can reuse one server across all its examples.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from beancan.collect import collect_all
from beancan.settings import BeancanSettings

API_PATH = "/api/mentions.jf2"
SITE = "https://blog.example"


def post(n: int) -> str:
    return f"{SITE}/2026/01/post-{n % 5}/"


def good_entry(wm_id: int, **changes: Any) -> dict[str, Any]:
    """An ordinary reply, as webmention.io serves one."""
    source = f"https://site{wm_id % 23}.example/notes/{wm_id}"
    entry = {
        "type": "entry",
        "wm-id": wm_id,
        "wm-source": source,
        "wm-target": post(wm_id),
        "wm-property": "in-reply-to",
        "wm-received": "2026-01-05T10:00:00Z",
        "url": source,
        "author": {
            "type": "card",
            "name": f"Person {wm_id}",
            "url": f"https://site{wm_id % 23}.example/",
        },
        "content": {"text": f"Reply number {wm_id}"},
        "in-reply-to": post(wm_id),
    }
    entry.update(changes)
    return entry


@dataclass
class JF2Server:
    """``/api/mentions.jf2`` serving ``entries`` by ``since_id``, ``page`` and ``per-page``.

    Other paths answer from ``files`` (path → (status, content type, body)).
    Every query string asked is kept in ``asked``.
    """

    entries: list[Any] = field(default_factory=list)
    files: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    asked: list[dict[str, str]] = field(default_factory=list)
    max_per_page: int = 1000
    #: a page holding an entry with this wm-id or a higher one answers HTTP 500.
    fail_from_id: int | None = None

    def __post_init__(self) -> None:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == API_PATH:
                    status, kind, body = owner.page(parts.query)
                else:
                    status, kind, body = owner.files.get(parts.path, (404, "text/plain", b"no"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def page(self, query: str) -> tuple[int, str, bytes]:
        asked = {k: v[0] for k, v in parse_qs(query).items()}
        self.asked.append(asked)
        since = int(asked.get("since_id", 0))
        per_page = min(int(asked.get("per-page", 20)), self.max_per_page)
        page = int(asked.get("page", 0))
        listed = [e for e in self.entries if _id(e) > since]
        children = listed[page * per_page : (page + 1) * per_page]
        if self.fail_from_id is not None and any(_id(c) >= self.fail_from_id for c in children):
            return 500, "text/plain", b"oops"
        return 200, "application/json", json.dumps({"type": "feed", "children": children}).encode()

    def url(self, path: str = API_PATH) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def _id(entry: Any) -> int:
    """The entry's wm-id for since_id; garbage entries sort as 1 (listed unless since > 0)."""
    value = entry.get("wm-id") if isinstance(entry, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def api_settings(data_dir: Path, server: JF2Server, **overrides: Any) -> BeancanSettings:
    values: dict[str, Any] = dict(
        siteurl=SITE,
        sitename="Test blog",
        data_dir=data_dir,
        allow_private_addresses=True,
        http_timeout=5.0,
        webmention_apis=({"url": server.url()},),
        people_fetch_per_run=0,
    )
    values.update(overrides)
    return BeancanSettings.of(**values)


def run_collect(settings: BeancanSettings, **options: Any):
    return asyncio.run(collect_all(settings, **options))
