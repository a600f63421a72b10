"""Issue 2 acceptance: a real Pelican build of the demo site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import feedparser
import mf2py
import pytest
from bs4 import BeautifulSoup

from tests.sitebuild import ROOT, build_site, tree_differences

SITEURL = "http://127.0.0.1:8000"
CONTENT = ROOT / "content"


def _articles() -> list[tuple[str, str]]:
    """(slug, YYYY/MM) of every demo post and note, read from the Markdown headers."""
    found = []
    for path in sorted((CONTENT / "posts").glob("*.md")) + sorted((CONTENT / "notes").glob("*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        slug = re.search(r"^Slug:\s*(\S+)", header, re.M | re.I).group(1)
        date = re.search(r"^Date:\s*(\d{4})-(\d{2})", header, re.M | re.I)
        found.append((slug, f"{date.group(1)}/{date.group(2)}"))
    return found


ARTICLES = _articles()


def test_demo_has_enough_posts():
    assert 8 <= len(ARTICLES) <= 14


def test_build_logs_no_warnings_or_errors(demo_build):
    assert demo_build.problems == []


@pytest.mark.parametrize(("slug", "month"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_article_is_an_h_entry(demo_build, slug, month):
    path = demo_build.output / month / slug / "index.html"
    assert path.is_file(), f"no page for {slug}"
    url = f"{SITEURL}/{month}/{slug}/"
    parsed = mf2py.parse(doc=path.read_text(encoding="utf-8"), url=url)
    entries = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert len(entries) == 1
    props = entries[0]["properties"]
    assert props["name"][0].strip()
    assert props["published"][0].startswith(month.replace("/", "-"))
    assert props["url"] == [url]
    author = props["author"][0]
    assert "h-card" in author["type"]
    assert author["properties"]["name"] == ["Tamsin Hale"]


def test_reply_note_carries_in_reply_to(demo_build):
    html = demo_build.page("2026/03/re-the-wall-behind-the-counter/index.html")
    entry = mf2py.parse(doc=html, url=SITEURL + "/")["items"][0]
    assert entry["properties"]["in-reply-to"] == ["https://rafe.example/notes/2026/03/17/wall/"]


def test_home_has_representative_h_card_and_h_feed(demo_build):
    parsed = mf2py.parse(doc=demo_build.page("index.html"), url=SITEURL + "/")
    cards = [i for i in parsed["items"] if "h-card" in i["type"]]
    feeds = [i for i in parsed["items"] if "h-feed" in i["type"]]
    assert any(
        c["properties"].get("url") == [SITEURL + "/"]
        and c["properties"].get("uid") == [SITEURL + "/"]
        for c in cards
    ), cards
    assert "https://social.example/@tamsin" in parsed["rels"]["me"]
    assert len(feeds) == 1
    entries = [c for c in feeds[0]["children"] if "h-entry" in c["type"]]
    assert len(entries) == 5  # DEFAULT_PAGINATION


def test_home_is_paginated(demo_build):
    assert (demo_build.output / "page" / "2" / "index.html").is_file()


@pytest.mark.parametrize("feed", ["feeds/all.atom.xml", "feeds/all.rss.xml"])
def test_feeds_parse_cleanly(demo_build, feed):
    parsed = feedparser.parse((demo_build.output / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(ARTICLES)


@pytest.mark.parametrize(
    "page",
    [
        "archives/index.html",
        "tags/index.html",
        "categories/index.html",
        "category/notes/index.html",
        "author/tamsin-hale/index.html",
        "about/index.html",
        "404.html",
    ],
)
def test_page_types_exist(demo_build, page):
    assert (demo_build.output / page).is_file()


def test_endpoints_advertised_in_head(demo_build):
    soup = BeautifulSoup(demo_build.page("index.html"), "html.parser")
    assert soup.head.find("link", rel="webmention")["href"] == "http://127.0.0.1:8001/webmention"
    assert soup.head.find("link", rel="pingback")["href"] == "http://127.0.0.1:8001/xmlrpc"


# What a browser loads without being asked: a reference in any of these is a
# request to that host.
_LOADING = {
    "script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "frame": ["src"],
    "source": ["src", "srcset"], "video": ["src", "poster"], "audio": ["src"],
    "embed": ["src"], "object": ["data"], "input": ["src"], "track": ["src"],
}  # fmt: skip
_LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "preconnect", "dns-prefetch",
                 "modulepreload", "manifest", "apple-touch-icon"}  # fmt: skip


def _loaded_urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for tag, attributes in _LOADING.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                for value in (element.get(attribute) or "").split(","):
                    if value.strip():
                        urls.append(value.strip().split()[0])
    for link in soup.find_all("link"):
        if _LOADING_RELS.intersection(link.get("rel") or []):
            urls.append(link["href"])
    for style in soup.find_all("style"):
        urls += re.findall(r"url\(['\"]?([^'\")]+)", style.text)
    return urls


def test_no_page_loads_anything_from_another_host(demo_build):
    pages = sorted(demo_build.output.rglob("*.html"))
    assert len(pages) > 20
    offenders = []
    for page in pages:
        for url in _loaded_urls(page.read_text(encoding="utf-8")):
            host = urlsplit(url).netloc
            if host and host != "127.0.0.1:8000" or url.startswith("//"):
                offenders.append(f"{page.relative_to(demo_build.output)}: {url}")
    for css in demo_build.output.rglob("*.css"):
        for url in re.findall(r"url\(['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if urlsplit(url).netloc:
                offenders.append(f"{css.name}: {url}")
    assert offenders == []


def test_two_builds_are_byte_identical(demo_build, tmp_path):
    again = build_site(tmp_path / "again")
    assert tree_differences(demo_build.output, again.output) == []


@pytest.mark.parametrize("beside", [False, True], ids=["in-the-build", "second-process"])
def test_pelicans_content_cache_is_saved_and_read_back(tmp_path, beside):
    """CACHE_CONTENT pickles the settings (each tag and category holds them): ours must pickle."""
    settings = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "BEANCAN_BACKGROUND": beside,
        "BEANCAN_BACKGROUND_MIN_STORE": 0,
    }
    first = build_site(tmp_path / "first" / "output", **settings)
    assert first.problems == []
    assert (tmp_path / "cache" / "ArticlesGenerator-Readers").stat().st_size > 0
    second = build_site(tmp_path / "second" / "output", **settings)  # from the cache
    assert second.problems == []
    assert tree_differences(first.output, second.output) == []
