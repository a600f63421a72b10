"""Issue 7's whole loop, end to end on 127.0.0.1: two Beancan sites talking.

Site A (Tamsin) and site B (Bram) are real Pelican builds of their own
content/, each served by a static file server on its own port; A's receiver
(``create_app`` under uvicorn, SQLite, verifier on) listens on a third port
and A's pages advertise it. Every step goes through the code the tasks run:
``run_send`` is ``invoke send``, ``collect_all`` is ``invoke collect``, the
receiver reads A's settings file as ``invoke receiver`` does.

1. B publishes a reply to A's post and sends; A's receiver verifies it.
2. A collects and builds: B's reply is a comment under the post.
3. A answers with a reply note and sends (B has no endpoint: nothing to do);
   B replies to that note and sends. Webmention §3.1.2: B's sender discovers
   the endpoint on the page it links, so the target is A's note.
4. A collects and builds: the thread under A's post is three levels deep
   across the two sites (B's reply, A's note, B's reply to the note), in
   the HTML and in mf2. Then B's reply names both the note and the post as
   what it answers (a second target for one source): it still shows once.

A shorter loop without builds checks that a deleted reply (410) is re-sent,
re-verified and removed by the next collect.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import mf2py
import pytest
import uvicorn
from bs4 import BeautifulSoup, Tag

from beancan.collect import collect_all
from beancan.http import HttpClient
from beancan.receiver import create_app
from beancan.settings import BeancanSettings, load_settings_file
from beancan.store import InteractionStore
from beancan.webmention.cli import run_send
from beancan.webmention.send import send_webmention
from beancan.webmention.sentlog import SentLog
from tests.receiver.conftest import POST, Page, make_settings, wait_done
from tests.sitebuild import ROOT, build_site

pytestmark = pytest.mark.slow

TOKEN = "loop-token"
#: Every wait in this test is bounded by this many seconds.
VERIFY_TIMEOUT = 10.0

#: (url, author name, written by the site's author, children): a thread as read back.
Tree = list[tuple[str, str, bool, "Tree"]]


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class StaticSite:
    """A site's output/ served over HTTP on 127.0.0.1, like ``invoke serve``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.output = root / "output"
        self.output.mkdir(parents=True)
        for folder in ("posts", "notes", "pages"):
            (root / "content" / folder).mkdir(parents=True)
        handler = functools.partial(_Quiet, directory=str(self.output))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def write(self, path: str, text: str) -> None:
        file = self.root / "content" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class ReceiverService:
    """A's receiver under uvicorn in a thread, on a socket bound before A's settings exist."""

    def __init__(self) -> None:
        self.sock = _bound_socket()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self, settings: BeancanSettings) -> None:
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.sock],), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + VERIFY_TIMEOUT
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "receiver not started"
            time.sleep(0.01)

    def close(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=20)
            assert not self.thread.is_alive(), "the receiver did not stop"
        self.sock.close()


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[tuple[StaticSite, StaticSite, ReceiverService]]:
    """Site A, site B and A's receiver; all closed after the test, failed or not."""
    # The environment wins over settings files (beancan.receiver.storage): keep it out.
    monkeypatch.delenv("BEANCAN_RECEIVER_DATABASE", raising=False)
    monkeypatch.delenv("BEANCAN_RECEIVER_API_TOKEN", raising=False)
    site_a, site_b = StaticSite(tmp_path / "a"), StaticSite(tmp_path / "b")
    receiver = ReceiverService()
    try:
        yield site_a, site_b, receiver
    finally:
        receiver.close()
        site_b.close()
        site_a.close()


def write_settings(site: StaticSite, author: str, sitename: str, **beancan: Any) -> Path:
    """A settings file: the demo's pelicanconf.py, with this site's own everything."""
    values: dict[str, Any] = {
        "AUTHOR": author,
        "SITENAME": sitename,
        "SITEURL": site.url,
        "FEED_DOMAIN": site.url,
        "PATH": str(site.root / "content"),
        "OUTPUT_PATH": str(site.output),
        "CACHE_PATH": str(site.root / "cache"),  # the link manifest send reads
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "STATIC_PATHS": [],
        "TIMEZONE": "UTC",
        "BEANCAN_DATA_DIR": str(site.root / "data"),
        # The demo's aliases would make both sites one: each site is only itself.
        "BEANCAN_SITE_ALIASES": [],
        "BEANCAN_AUTHOR": {"name": author, "url": site.url + "/"},
        "BEANCAN_REL_ME": [],
        "BEANCAN_PERSON_ALIASES": {},
        "BEANCAN_PEERS": [],
        "BEANCAN_MODERATION": "open",
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES": True,
        "BEANCAN_HTTP_TIMEOUT": 5.0,
        "BEANCAN_WEBMENTION_ENDPOINT": "",
        "BEANCAN_PINGBACK_ENDPOINT": "",
    }
    values.update({f"BEANCAN_{k.upper()}": v for k, v in beancan.items()})
    lines = [
        "import runpy",
        f"_demo = runpy.run_path({str(ROOT / 'pelicanconf.py')!r})",
        "globals().update((k, v) for k, v in _demo.items() if k.isupper())",
        *(f"{key} = {value!r}" for key, value in values.items()),
    ]
    path = site.root / "settings.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(site: StaticSite, settings_file: Path) -> None:
    result = build_site(site.output, str(settings_file))
    assert result.problems == []


def send(settings_file: Path) -> str:
    """``invoke send --settings FILE``, which must deliver everything it tried."""
    text, failed = run_send(load_settings_file(settings_file))
    assert failed == 0, text
    return text


def wait_verified(settings_file: Path, source: str, target: str) -> None:
    """Poll the status URL the receiver gave the sender (bounded) until it is verified."""
    entry = SentLog.load(load_settings_file(settings_file)["BEANCAN_DATA_DIR"]).get(source, target)
    assert entry is not None and entry.status == "sent", entry
    with httpx.Client(timeout=5) as client:
        verdict = wait_done(client, entry.location, timeout=VERIFY_TIMEOUT)
    assert verdict["status"] == "verified", verdict


def collect(settings_file: Path) -> None:
    """``invoke collect --settings FILE``: the receiver's JF2 API into A's store."""
    [report] = asyncio.run(
        collect_all(BeancanSettings.from_pelican(load_settings_file(settings_file)))
    )
    assert (report.new, report.failed) == (1, ""), report


def _tree_html(thread: Tag | None) -> Tree:
    if thread is None:
        return []
    found: Tree = []
    for item in thread.find_all("li", recursive=False):
        comment = item.find("article", class_="p-comment", recursive=False)
        name = comment.select_one(".comment-author").get_text(strip=True)
        is_author = "comment--author" in comment["class"]
        children = _tree_html(comment.find("ol", class_="thread", recursive=False))
        found.append((comment.select_one("a.u-url")["href"], name, is_author, children))
    return found


def thread_in_html(html: str) -> Tree:
    """The comment tree under a post, read from the nesting of the built HTML."""
    section = BeautifulSoup(html, "html.parser").select_one("section#responses")
    return _tree_html(section.find("ol", class_="thread", recursive=False))


def _tree_mf2(comments: list[dict], author_url: str) -> Tree:
    found: Tree = []
    for comment in comments:
        props = comment["properties"]
        author = props["author"][0]["properties"]
        children = _tree_mf2(props.get("comment", []), author_url)
        found.append((props["url"][0], author["name"][0], author["url"] == [author_url], children))
    return found


def thread_in_mf2(html: str, url: str, author_url: str) -> Tree:
    """The comment tree as an mf2 consumer reads it: p-comment h-cites, nested."""
    parsed = mf2py.parse(doc=html, url=url, metaformats=False)
    [entry] = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert entry["properties"]["url"] == [url]
    return _tree_mf2(entry["properties"].get("comment", []), author_url)


def test_a_conversation_across_two_sites_threads_three_levels_deep(world) -> None:
    started = time.monotonic()
    site_a, site_b, receiver = world
    a_settings = write_settings(
        site_a, "Tamsin Hale", "Tin Can Telephone",
        webmention_endpoint=f"{receiver.url}/webmention",
        pingback_endpoint=f"{receiver.url}/xmlrpc",
        webmention_apis=[{"url": f"{receiver.url}/api/mentions.jf2", "token": TOKEN}],
        receiver_database=str(site_a.root / "receiver.sqlite3"),
        receiver_api_token=TOKEN,
        receiver_workers=2,
    )  # fmt: skip
    b_settings = write_settings(site_b, "Bram Okafor", "Bram's Workbench")  # no receiver
    receiver.start(BeancanSettings.from_pelican(load_settings_file(a_settings)))

    post = f"{site_a.url}/2026/01/strings-attached/"
    note = f"{site_a.url}/2026/01/re-bram-on-strings/"
    reply = f"{site_b.url}/2026/01/re-strings-attached/"
    reply_to_note = f"{site_b.url}/2026/01/re-re-strings-attached/"
    site_a.write(
        "posts/strings-attached.md",
        "Title: Strings attached\nDate: 2026-01-10 09:00\nSlug: strings-attached\n\n"
        "Every blog is a bean can; a link is the string.\n",
    )
    build(site_a, a_settings)

    # (1) B replies to A's post; B's send reaches A's receiver, which verifies it.
    site_b.write(
        "posts/re-strings-attached.md",
        "Title: Re: Strings attached\nDate: 2026-01-11 10:00\nSlug: re-strings-attached\n"
        f"In_reply_to: {post}\n\n"
        f"[Tamsin's strings]({post}) made me dig out my old tin cans.\n",
    )
    build(site_b, b_settings)
    assert f"sent        new      {reply} -> {post}" in send(b_settings)
    wait_verified(b_settings, reply, post)

    # (2) A's collect and build: B's reply is a comment under the post.
    collect(a_settings)
    build(site_a, a_settings)
    page = (site_a.output / "2026/01/strings-attached/index.html").read_text()
    bram = (reply, "Bram Okafor", False, [])
    assert thread_in_html(page) == [bram]
    assert thread_in_mf2(page, post, f"{site_a.url}/") == [bram]

    # (3) A's author answers with a note; B (no endpoint) is told nothing.
    site_a.write(
        "notes/re-bram-on-strings.md",
        "Title: Re: Bram on strings\nDate: 2026-01-12 11:00\nSlug: re-bram-on-strings\n"
        f"In_reply_to: {reply}\n\n[Bram]({reply}): keep the string taut, or nobody hears.\n",
    )
    build(site_a, a_settings)
    assert f"no-endpoint new      {note} -> {reply}" in send(a_settings)
    # ... and B replies to the note, so B's sender finds A's endpoint on the note's page.
    site_b.write(
        "posts/re-re-strings-attached.md",
        "Title: Re: Re: Strings attached\nDate: 2026-01-13 12:00\n"
        f"Slug: re-re-strings-attached\nIn_reply_to: {note}\n\n"
        f"[Taut, then]({note}): I'll wax mine.\n",
    )
    build(site_b, b_settings)
    sent = send(b_settings)
    assert f"sent        new      {reply_to_note} -> {note}" in sent
    assert "1 notification(s): 1 sent" in sent  # the first reply is unchanged: not re-sent
    wait_verified(b_settings, reply_to_note, note)

    # (4) the next round on A: three levels deep, across the two sites.
    collect(a_settings)
    build(site_a, a_settings)
    page = (site_a.output / "2026/01/strings-attached/index.html").read_text()
    three_deep = [
        (reply, "Bram Okafor", False, [
            (note, "Tamsin Hale", True, [
                (reply_to_note, "Bram Okafor", False, []),
            ]),
        ]),
    ]  # fmt: skip
    assert thread_in_html(page) == three_deep
    assert thread_in_mf2(page, post, f"{site_a.url}/") == three_deep
    # The note's own page keeps the reply it received.
    note_page = (site_a.output / "2026/01/re-bram-on-strings/index.html").read_text()
    assert thread_in_html(note_page) == [(reply_to_note, "Bram Okafor", False, [])]

    # Some senders name the whole chain: B's reply now answers the note and the
    # post (a second u-in-reply-to, in the content). Two Webmentions, two
    # replies in A's store, one comment in the thread.
    site_b.write(
        "posts/re-re-strings-attached.md",
        "Title: Re: Re: Strings attached\nDate: 2026-01-13 12:00\n"
        f"Slug: re-re-strings-attached\nIn_reply_to: {note}\n\n"
        f"[Taut, then]({note}): I'll wax mine, says the thread of "
        f'<a class="u-in-reply-to" href="{post}">your post</a>.\n',
    )
    build(site_b, b_settings)
    sent = send(b_settings)
    assert f"sent        new      {reply_to_note} -> {post}" in sent
    assert f"sent        changed  {reply_to_note} -> {note}" in sent
    wait_verified(b_settings, reply_to_note, post)
    wait_verified(b_settings, reply_to_note, note)
    collect(a_settings)
    store = InteractionStore.load(site_a.root / "data")
    assert [store.get(reply_to_note, t).kind for t in (post, note)] == ["reply", "reply"]
    build(site_a, a_settings)
    page = (site_a.output / "2026/01/strings-attached/index.html").read_text()
    assert thread_in_html(page) == three_deep
    assert thread_in_mf2(page, post, f"{site_a.url}/") == three_deep
    assert '<li class="count-reply"><strong>3</strong>' in page
    assert time.monotonic() - started < 30


def _send_one(settings: BeancanSettings, endpoint: str, source: str) -> str:
    async def go() -> str:
        async with HttpClient.from_settings(settings) as http:
            outcome = await send_webmention(http, endpoint, source, POST)
        assert outcome.status == "sent", outcome
        return outcome.location

    return asyncio.run(go())


def test_sent_reply_is_collected_and_its_deletion_too(tmp_path, running, source_site) -> None:
    receiver = running(create_app(make_settings(tmp_path)))
    settings = make_settings(
        tmp_path,
        webmention_apis=({"url": f"{receiver.base_url}/api/mentions.jf2", "token": "secret"},),
    )
    endpoint = f"{receiver.base_url}/webmention"
    source = source_site.reply("/b/reply", text="Hello from site B")
    location = _send_one(settings, endpoint, source)
    assert wait_done(receiver.client, location)["status"] == "verified"

    [report] = asyncio.run(collect_all(settings))
    assert (report.new, report.failed) == (1, "")
    stored = InteractionStore.load(settings.data_dir).get(source, POST)
    assert stored is not None
    assert (stored.kind, stored.author.name, stored.content_text, stored.status) == (
        "reply", "Bea Reader", "Hello from site B", "approved",
    )  # fmt: skip

    source_site.pages["/b/reply"] = Page(410, "gone")
    assert wait_done(receiver.client, _send_one(settings, endpoint, source))["status"] == "deleted"
    [report] = asyncio.run(collect_all(settings))
    assert report.deleted == 1
    assert InteractionStore.load(settings.data_dir).get(source, POST).status == "deleted"
