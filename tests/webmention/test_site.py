"""Real Pelican runs: the link manifest send reads, and beancan.gone's 410 files."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from beancan.http import HttpClient
from beancan.urls import SiteURLs
from beancan.webmention.cli import run_send
from beancan.webmention.manifest import ManifestError, manifest_path, read_manifest
from beancan.webmention.sources import page_source

from .conftest import Reply, Server

SITE = "https://blog.example"


def write_site(root: Path) -> None:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "content" / "pages").mkdir()
    (posts / "kept.md").write_text(
        "Title: Kept\nDate: 2026-01-02 10:00\nSlug: kept\n"
        "In_reply_to: https://priya.example/2026/weak-ties/\n\n"
        "See [Odile](https://odile.example/post#comments), [my other post](/2026/01/other/),\n"
        "[again](https://odile.example/post) and [mail](mailto:me@example.com).\n"
        "<a href='https://quoted.example/single'>single</a> <a href=../../../2025/x/>up</a>\n"
    )
    (posts / "other.md").write_text(
        "Title: Other\nDate: 2026-01-03 10:00\nSlug: other\nLike_of: https://sam.example/p\n\n"
        "No links here.\n"
    )
    (root / "content" / "pages" / "about.md").write_text(
        "Title: About\n\nFind me at <https://code.example/me>.\n"
    )


def settings_for(root: Path, plugins: list[str]) -> dict:
    from pelican.settings import read_settings

    return read_settings(
        None,
        override={
            "PATH": str(root / "content"),
            "OUTPUT_PATH": str(root / "output"),
            "SITEURL": SITE,
            "ARTICLE_PATHS": ["posts"],
            "PAGE_PATHS": ["pages"],
            "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
            "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
            "PAGE_URL": "{slug}/",
            "PAGE_SAVE_AS": "{slug}/index.html",
            "PLUGINS": plugins,
            "TIMEZONE": "UTC",
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "BEANCAN_DATA_DIR": str(root / "data"),
            "CACHE_PATH": str(root / "cache"),
        },
    )


def test_the_build_writes_each_documents_links_and_response_metadata(tmp_path: Path) -> None:
    write_site(tmp_path)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    path = manifest_path(settings_for(tmp_path, []))
    assert path == tmp_path / "cache" / "beancan-links.jsonl"
    sources = {s.url: s.targets for s in read_manifest(path, SiteURLs(SITE))}
    # Our own links (/2026/01/other/, ../../../2025/x/) are not sent; the
    # fragment goes, the single-quoted link counts; mailto: is no target.
    assert sources == {
        f"{SITE}/2026/01/kept/": (
            "https://odile.example/post",
            "https://priya.example/2026/weak-ties/",
            "https://quoted.example/single",
        ),
        f"{SITE}/2026/01/other/": ("https://sam.example/p",),
        f"{SITE}/about/": ("https://code.example/me",),
    }
    # Nothing of it is published, and the same inputs give the same bytes.
    assert not [p for p in (tmp_path / "output").rglob("*") if "links" in p.name]
    first = path.read_bytes()
    assert build(tmp_path).returncode == 0
    assert path.read_bytes() == first


def test_a_missing_manifest_says_build_first(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "beancan-links.jsonl"
    with pytest.raises(ManifestError, match=r"beancan-links.jsonl: no link manifest; build the"):
        read_manifest(path, SiteURLs(SITE))


def test_a_manifest_built_for_another_siteurl_is_refused(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path).returncode == 0
    path = manifest_path(settings_for(tmp_path, []))
    with pytest.raises(ManifestError, match=r"beancan-links.jsonl:2: built for another site"):
        read_manifest(path, SiteURLs("https://production.example"))


def test_page_source_reads_the_first_h_entry(server: Server) -> None:
    server.routes["/note"] = Reply(
        200,
        '<nav><a href="https://nav.example/">nav</a></nav><article class="h-entry">'
        '<a class="u-in-reply-to" href="https://priya.example/p">re</a>'
        '<div class="e-content">A <a href="/local">local</a> and '
        '<a href="https://x.example/y#z">x</a></div></article>',
    )

    async def run():
        async with HttpClient(user_agent="t", allow_private=True) as http:
            return await page_source(http, server.url("/note"), SiteURLs(SITE))

    source = asyncio.run(run())
    # The nav link is outside the h-entry; the fragment is dropped; sorted.
    assert source.targets == (
        server.url("/local"),
        "https://priya.example/p",
        "https://x.example/y",
    )


def test_send_reads_the_manifest_of_the_build_not_the_content(
    server: Server, tmp_path: Path
) -> None:
    """Build, send, send again, delete the post, build, send: a receiver on 127.0.0.1."""
    target = server.url("/their/post")
    server.routes["/their/post"] = Reply(200, '<link rel="webmention" href="/wm">')
    server.routes["/wm"] = Reply(202, "")
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "content" / "pages").mkdir()
    post = posts / "linking.md"
    post.write_text(
        "Title: Linking\nDate: 2026-01-05 10:00\nSlug: linking\n\n"
        f"<p>Read <a href='{target}#top'>their post</a>.</p>\n"
    )
    (posts / "quiet.md").write_text("Title: Quiet\nDate: 2026-01-06 10:00\nSlug: quiet\n\nNone.\n")
    settings = settings_for(tmp_path, []) | {"BEANCAN_ALLOW_PRIVATE_ADDRESSES": True}
    source = f"{SITE}/2026/01/linking/"

    with pytest.raises(ManifestError, match="no link manifest; build the site first"):
        run_send(settings)
    assert build(tmp_path).returncode == 0
    # Send needs the build's manifest only: not the content, not Pelican's generators.
    (tmp_path / "content").rename(tmp_path / "away")
    text, failed = run_send(settings)
    assert failed == 0, text
    posted = [r.form for r in server.requests if r.path == "/wm"]
    assert posted == [{"source": [source], "target": [target]}]
    assert run_send(settings)[0] == "send: nothing to send (the sent log is up to date)"

    (tmp_path / "away").rename(tmp_path / "content")
    post.unlink()
    assert build(tmp_path).returncode == 0
    text, failed = run_send(settings)
    assert failed == 0, text
    assert text.splitlines()[0].split()[:2] == ["sent", "deleted"]
    posted = [r.form for r in server.requests if r.path == "/wm"]
    assert posted == [{"source": [source], "target": [target]}] * 2


def build(root: Path, **extra) -> subprocess.CompletedProcess:
    """A real ``pelican`` run with beancan.site and beancan.gone, in a process of its own.

    Pelican's signals outlive a run: in this process, plugins that other tests
    loaded would fire too, and they expect the project's theme and settings.
    """
    settings = settings_for(root, ["beancan.site", "beancan.gone"])
    names = [
        "PATH",
        "OUTPUT_PATH",
        "SITEURL",
        "ARTICLE_PATHS",
        "PAGE_PATHS",
        "ARTICLE_URL",
        "ARTICLE_SAVE_AS",
        "PAGE_URL",
        "PAGE_SAVE_AS",
        "PLUGINS",
        "TIMEZONE",
        "FEED_ALL_ATOM",
        "CATEGORY_FEED_ATOM",
        "BEANCAN_DATA_DIR",
        "CACHE_PATH",
    ]
    conf = {name: settings[name] for name in names} | extra
    (root / "conf.py").write_text("".join(f"{k} = {v!r}\n" for k, v in conf.items()))
    command = [sys.executable, "-m", "pelican", "-s", str(root / "conf.py")]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_gone_writes_410_files_for_deleted_posts(tmp_path: Path) -> None:
    write_site(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    lines = [{"beancan": "sent", "version": 1}]
    for source, origin in [
        (f"{SITE}/2026/01/kept/", "site"),
        ("https://www.blog.example/2025/12/deleted/", "site"),
        ("https://elsewhere.example/x/", "page"),
    ]:
        lines.append(
            {
                "source": source,
                "target": "https://t.example/",
                "status": "sent",
                "linked": True,
                "origin": origin,
            }
        )
    (data / "sent.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    aliases = {"BEANCAN_SITE_ALIASES": ["https://www.blog.example"]}
    done = build(tmp_path, **aliases)
    assert done.returncode == 0, done.stderr
    output = tmp_path / "output"
    assert (output / "nginx-gone.conf").read_text().splitlines()[3:] == [
        "location = /2025/12/deleted { return 410; }",
        "location = /2025/12/deleted/ { return 410; }",
        "location = /2025/12/deleted/index.html { return 410; }",
    ]
    assert (output / "_redirects").read_text().splitlines()[1:] == [
        "/2025/12/deleted  /404.html  410",
        "/2025/12/deleted/  /404.html  410",
        "/2025/12/deleted/index.html  /404.html  410",
    ]
    # The same inputs give the same bytes.
    first = (output / "nginx-gone.conf").read_bytes()
    build(tmp_path, **aliases)
    assert (output / "nginx-gone.conf").read_bytes() == first


@pytest.mark.parametrize("bad", ["not json\n", '{"beancan": "interactions", "version": 1}\n'])
def test_gone_with_a_broken_sent_log_logs_and_builds(tmp_path: Path, bad: str) -> None:
    write_site(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sent.jsonl").write_text(bad)
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "2026" / "01" / "kept" / "index.html").is_file()
    assert "sent.jsonl:1: not a Beancan sent file" in " ".join((done.stdout + done.stderr).split())


def test_a_manifest_that_cannot_be_written_is_logged_and_the_build_goes_on(
    tmp_path: Path,
) -> None:
    write_site(tmp_path)
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "2026" / "01" / "kept" / "index.html").is_file()
    logged = " ".join((done.stdout + done.stderr).split())
    assert "cannot write the link manifest" in logged
    assert "beancan-links.jsonl" in logged
