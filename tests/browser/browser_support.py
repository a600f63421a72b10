"""What the real-browser tests share: the browser binary, a served build, page visits, axe.

The site is built by a real Pelican run (a subprocess, as ``invoke build``
runs it) with SITEURL pointing at a static server the tests started on
127.0.0.1, so the site's own host is the only host a page may ask for.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from beancan.serve import SiteHandler

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

#: Where Debian's packages put a headless Chromium (scripts/setup --test installs the first).
BROWSER_CANDIDATES = (
    "/usr/bin/chromium-headless-shell",
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium",
)
#: No update checks, sync or QUIC probes: the browser must not talk to anyone but the site.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: axe-core impact levels that fail a page (issue 8: zero serious or critical).
FAILING_IMPACTS = ("serious", "critical")


def find_browser() -> str | None:
    """The first installed headless Chromium, or None."""
    for candidate in BROWSER_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium-headless-shell")


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere, naming what is missing (issue 8: none skipped in CI)."""
    import pytest

    if in_ci():
        pytest.fail(f"{what} (CI must run every browser test)", pytrace=False)
    pytest.skip(what)


# ---- a static host on 127.0.0.1 -------------------------------------------------


class _SiteHandler(SiteHandler):
    """The same static host as ``invoke serve``, without the access log."""

    def log_message(self, format, *args):
        pass  # the tests assert on what the browser saw, not on the access log


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free port of 127.0.0.1; yields the origin (no trailing slash)."""
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def bound_socket() -> socket.socket:
    """A listening-ready socket on a free port of 127.0.0.1 (no race between pick and bind)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serve_asgi(app, sock: socket.socket) -> Iterator[str]:
    """Run an ASGI app under uvicorn in a thread on ``sock`` (the caller closes it)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="auto"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="asgi-server", daemon=True
    )
    thread.start()
    try:
        for _ in range(1000):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.01)
        if not server.started:
            raise RuntimeError("the ASGI server on 127.0.0.1 did not start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# ---- building the demo site ------------------------------------------------------


def site_aliases() -> list[str]:
    """BEANCAN_SITE_ALIASES as pelicanconf.py sets them."""
    from beancan.settings import load_settings_file

    return list(load_settings_file(ROOT / "pelicanconf.py").get("BEANCAN_SITE_ALIASES", []))


def build_site(output: Path, origin: str, **overrides: object) -> None:
    """Build content/ into ``output`` with Pelican, the site living at ``origin``.

    ``overrides`` are extra Pelican settings (``BEANCAN_DATA_DIR=...``). A
    failed build, or one that logged an error, raises with Pelican's output.
    """
    settings: dict[str, object] = {
        "SITEURL": origin,
        "FEED_DOMAIN": origin,
        # The demo data points at the author's real domains; the test origin is one more.
        "BEANCAN_SITE_ALIASES": [*site_aliases(), origin],
        # The link manifest goes beside the output, not into the checkout's cache/.
        "CACHE_PATH": str(Path(output).parent / "cache"),
        **overrides,
    }
    extra = [f"{k}={json.dumps(str(v) if isinstance(v, Path) else v)}" for k, v in settings.items()]
    command = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py",
               "-o", str(output), "--fatal", "errors", "-e", *extra]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(
            f"pelican build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )


@dataclass(frozen=True)
class BuiltSite:
    """A build served on 127.0.0.1."""

    output: Path
    origin: str

    def url(self, path: str) -> str:
        return self.origin + path

    def has(self, path: str) -> bool:
        """Whether ``/path/`` was written by the build."""
        target = self.output / path.strip("/")
        return (target / "index.html").is_file() if path.endswith("/") else target.is_file()

    def html(self, path: str) -> str:
        target = self.output / path.strip("/")
        return (target / "index.html" if path.endswith("/") else target).read_text("utf-8")


# ---- visiting pages --------------------------------------------------------------


@dataclass
class Visit:
    """One page load and everything the browser did for it."""

    page: object
    status: int
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    responses: list[object] = field(default_factory=list)

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to any host but the site's own (``data:`` URLs are not requests)."""
        own = urlsplit(origin).netloc
        return [u for u in self.requests if not u.startswith(("data:", "blob:"))
                and urlsplit(u).netloc != own]  # fmt: skip


#: Scroll through the page one screen at a time so every lazy image is asked for.
_SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  scrollTo(0, 0);
}"""
_IMAGES_DONE = "() => Array.from(document.images).every(i => i.complete)"


def visit(context, url: str, *, scroll: bool = False) -> Visit:
    """Open ``url`` in a new page of ``context``, recording requests and errors."""
    page = context.new_page()
    found = Visit(page=page, status=0)
    page.on("request", lambda r: found.requests.append(r.url))
    page.on("response", lambda r: found.responses.append(r))
    page.on("pageerror", lambda e: found.errors.append(f"uncaught: {e}"))

    def on_console(message) -> None:
        if message.type == "error":
            found.errors.append(f"console: {message.text} at {message.location}")

    page.on("console", on_console)
    response = page.goto(url, wait_until="load")
    found.status = response.status if response else 0
    if scroll:
        page.evaluate(_SCROLL_THROUGH)
        page.wait_for_function(_IMAGES_DONE, timeout=10_000)
    return found


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on ``page``, reduced to what helps a fix."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                      summary: n.failureSummary}))
          }));
        }"""
    )
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """One readable block per violation: rule, impact, and each offending element."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}  {node['html'][:160]}")
            lines += [f"      {s}" for s in (node["summary"] or "").splitlines()[:4]]
    return "\n".join(lines)
