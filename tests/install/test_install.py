"""Acceptance: ``pip install`` the checkout into a fresh virtualenv and use it in a new blog.

One virtualenv for the module (creating it and installing takes a minute):
the checkout as it is (tracked and new files, not what git ignores) is
copied and installed, not editable, without requirements.txt, together with
a popular third-party theme from PyPI (Reflex, a fork of Flex). Then, for
each theme, a new one-post Pelican site with ``PLUGINS = ["beancan"]``:
``beancan collect`` from a JF2 API served here on 127.0.0.1, a plain
``pelican`` build from another folder, and the checks of issue 13.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import mf2py
import pytest
from bs4 import BeautifulSoup

from tests.sitebuild import ROOT

pytestmark = pytest.mark.slow

#: Reflex (a fork of Flex) translates its labels: it wants pelican-plugins'
#: i18n_subsites beside it, as its README says.
THIRD_PARTY = ["pelican-theme-reflex", "pelican-i18n-subsites"]
THEME_PLUGINS = {"reflex": ["i18n_subsites"]}
#: ... and its footer reads CC_LICENSE, which its README's example sets.
THEME_SETTINGS = {
    "reflex": "CC_LICENSE = {'name': 'Creative Commons Attribution-ShareAlike', "
    "'version': '4.0', 'slug': 'by-sa', 'icon': True}\n"
}
SITEURL = "https://blog.example"
POST = f"{SITEURL}/hello.html"
ENDPOINT = "https://webmention.example/blog"
REPLY = "https://ana.example/notes/re-hello"
NESTED = "https://bo.example/notes/re-re-hello"


def _checkout_copy(target: Path) -> Path:
    """The checkout's files as they are now, without what git ignores (.venv, output)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not name.startswith(("tests/", "bench/", "content/", "data/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the checkout and a third-party theme installed from PyPI."""
    root = tmp_path_factory.mktemp("install")
    checkout = _checkout_copy(root / "checkout")
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    done = subprocess.run(
        [*pip, str(checkout), *THIRD_PARTY], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return env_dir


class _JF2(BaseHTTPRequestHandler):
    """webmention.io's /api/mentions.jf2: a reply to the post and a reply to that reply."""

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        children = []
        if urlsplit(self.path).path == "/api/mentions.jf2" and query.get("page") == ["0"]:
            children = [_entry(1, REPLY, "Ana", POST, "Hello back"),
                        _entry(2, NESTED, "Bo", REPLY, "And to you")]  # fmt: skip
        body = json.dumps({"type": "feed", "children": children}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # quiet
        pass


def _entry(number: int, url: str, name: str, replies_to: str, text: str) -> dict:
    home = url.split("/notes/")[0] + "/"
    return {
        "type": "entry", "wm-id": number, "wm-source": url, "wm-target": POST,
        "wm-property": "in-reply-to", "wm-received": f"2026-01-0{number + 2}T10:00:00Z",
        "url": url, "published": f"2026-01-0{number + 2}T10:00:00Z",
        "author": {"type": "card", "name": name, "url": home},
        "in-reply-to": replies_to, "content": {"html": f"<p>{text}</p>", "text": text},
    }  # fmt: skip


@pytest.fixture(scope="module")
def jf2_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JF2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/mentions.jf2"
    finally:
        server.shutdown()
        server.server_close()


def _write_site(folder: Path, theme: str, api: str) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "hello.md").write_text(
        "Title: Hello\nDate: 2026-01-02 10:00\nSlug: hello\n\nA string between two cans.\n",
        encoding="utf-8",
    )
    conf = folder / "pelicanconf.py"
    conf.write_text(
        f"SITEURL = {SITEURL!r}\nSITENAME = 'Two Cans'\nAUTHOR = 'Me'\nTIMEZONE = 'UTC'\n"
        f"PATH = 'content'\nOUTPUT_PATH = 'public'\nTHEME = {theme!r}\n"
        "JINJA_ENVIRONMENT = {'extensions': ['jinja2.ext.i18n']}\n"
        f"PLUGINS = {['beancan', *THEME_PLUGINS.get(theme, [])]!r}\n"
        "BEANCAN_DATA_DIR = 'data'\n"
        f"BEANCAN_WEBMENTION_ENDPOINT = {ENDPOINT!r}\n"
        f"BEANCAN_WEBMENTION_APIS = [{{'url': {api!r}, 'token': 'secret'}}]\n"
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES = True\n" + THEME_SETTINGS.get(theme, ""),
        encoding="utf-8",
    )
    return conf


def _run(command: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "ERROR" not in output and "CRITICAL" not in output, output
    return output


def _comment_tree(items: list[dict]) -> list:
    return [
        (item["properties"]["url"][0], _comment_tree(item["properties"].get("comment", [])))
        for item in items
        if "h-cite" in item["type"]
    ]


def _layout(html: str) -> tuple[list[str], list[str]]:
    """The theme's frame of a page: its stylesheets and the text of its menus."""
    soup = BeautifulSoup(html, "html.parser")
    sheets = [link["href"] for link in soup.select('head link[rel="stylesheet"]')]
    navs = [" ".join(nav.get_text().split()) for nav in soup.find_all("nav")]
    return sheets, navs


@pytest.mark.parametrize("theme", ["notmyidea", "simple", "reflex"])
def test_a_new_blog_gets_beancan_with_one_plugins_line(
    venv: Path, jf2_api: str, tmp_path: Path, theme: str
) -> None:
    site = tmp_path / "blog"
    conf = _write_site(site, theme, jf2_api)
    collected = _run([str(venv / "bin" / "beancan"), "collect"], cwd=site)
    assert "2" in collected.splitlines()[-1].split()  # two new responses from the API
    # Strangers wait for moderation (BEANCAN_MODERATION "known"): let these two in.
    approve = ["--by", "domain", "--approve", "ana.example", "--approve", "bo.example"]
    _run([str(venv / "bin" / "beancan"), "moderate", *approve], cwd=site)
    # A plain Pelican build from elsewhere: the data and output folders are the site's.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run([str(venv / "bin" / "pelican"), "-s", str(conf), "--fatal", "errors"], cwd=elsewhere)
    output = site / "public"

    article = (output / "hello.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(article, "html.parser")
    assert [x["href"] for x in soup.head.select('link[rel="webmention"]')] == [ENDPOINT]
    assert len(soup.select("#responses")) == 1
    parsed = mf2py.parse(doc=article, url=POST)
    assert _comment_tree(parsed["items"]) == [(REPLY, [(NESTED, [])])]

    conversations = (output / "conversations" / "index.html").read_text(encoding="utf-8")
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "<h1>Conversations</h1>" in conversations
    sheets, navs = _layout(conversations)
    assert (sheets, navs) == _layout(index)
    assert sheets or any(navs)
    # The theme's header around the page: a link home outside Beancan's own article.
    home = BeautifulSoup(conversations, "html.parser").select(f'a[href="{SITEURL}/"]')
    assert any(a.find_parent("article", class_="conversations") is None for a in home)
    assert not list(elsewhere.iterdir())


def test_the_beancan_command_has_help_for_every_subcommand(venv: Path, tmp_path: Path) -> None:
    beancan = str(venv / "bin" / "beancan")
    listed = _run([beancan, "--help"], cwd=tmp_path)
    for command in ("collect", "send", "moderate", "forget", "receiver", "check"):
        assert command in listed
        assert "--settings FILE" in _run([beancan, command, "--help"], cwd=tmp_path)
