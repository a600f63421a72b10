"""Any theme, zero edits: Pelican's own themes get the comment section and links.

Real ``Pelican(...).run()`` builds of a one-post site with ``PLUGINS =
["beancan"]`` and a store holding a reply and a reply to that reply.
"""

from __future__ import annotations

import logging
from pathlib import Path

import mf2py
import pytest
from bs4 import BeautifulSoup

from beancan.model import make_interaction
from beancan.store import InteractionStore

SITEURL = "https://blog.example"
POST = f"{SITEURL}/hello.html"
ENDPOINT = "https://hooks.example/webmention"
PINGBACK = "https://hooks.example/xmlrpc"
CONTENT = "The bean can at the other end of the string."


def write_site(root: Path, theme: str | None, plugins: list[str], extra: str = "") -> Path:
    """A one-post Pelican site in ``root``; returns its settings file."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "hello.md").write_text(
        f"Title: Hello\nDate: 2026-01-02 10:00\nSlug: hello\n\n{CONTENT}\n", encoding="utf-8"
    )
    store = InteractionStore.load(root / "data")
    reply = make_interaction(
        source="https://ana.example/re-hello", target=POST, kind="reply",
        author={"name": "Ana", "url": "https://ana.example/"},
        content_html="<p>Hello back</p>", published="2026-01-03T10:00:00+00:00",
        channels=("webmention",), status="approved",
    )  # fmt: skip
    nested = make_interaction(
        source="https://bo.example/re-re-hello", target=POST, kind="reply",
        in_reply_to=("https://ana.example/re-hello",),
        author={"name": "Bo", "url": "https://bo.example/"},
        content_html="<p>And to you</p>", published="2026-01-04T10:00:00+00:00",
        channels=("webmention",), status="approved",
    )  # fmt: skip
    store.merge(reply)
    store.merge(nested)
    store.save()
    conf = root / "pelicanconf.py"
    theme_line = f"THEME = {theme!r}\n" if theme else ""
    conf.write_text(
        f"SITEURL = {SITEURL!r}\nSITENAME = 'A Blog'\nAUTHOR = 'Me'\nPATH = 'content'\n"
        # Pelican's default output folder is relative to the working directory.
        f"OUTPUT_PATH = {str(root / 'output')!r}\n"
        f"{theme_line}PLUGINS = {plugins!r}\nBEANCAN_DATA_DIR = {str(root / 'data')!r}\n"
        f"BEANCAN_WEBMENTION_ENDPOINT = {ENDPOINT!r}\nBEANCAN_PINGBACK_ENDPOINT = {PINGBACK!r}\n"
        "BEANCAN_BACKGROUND = False\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
        # Relative to this file (Pelican's default is the current folder: the checkout).
        "TIMEZONE = 'UTC'\nOUTPUT_PATH = 'output'\nCACHE_PATH = 'cache'\n" + extra,
        encoding="utf-8",
    )
    return conf


def build(conf: Path, caplog: pytest.LogCaptureFixture) -> Path:
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(conf))
    with caplog.at_level(logging.WARNING):
        Pelican(settings).run()
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert problems == []
    output = Path(settings["OUTPUT_PATH"])
    assert output.is_relative_to(conf.parent), "the build wrote outside its test folder"
    return output


def comment_tree(items: list[dict]) -> list:
    """(url, [children]) of every h-cite, following p-comment nesting."""
    return [
        (item["properties"]["url"][0], comment_tree(item["properties"].get("comment", [])))
        for item in items
        if "h-cite" in item["type"]
    ]


@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_pelicans_own_themes_get_the_comment_section_once(
    tmp_path: Path, theme: str, caplog: pytest.LogCaptureFixture
) -> None:
    output = build(write_site(tmp_path, theme, ["beancan"]), caplog)
    html = (output / "hello.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("#responses")) == 1
    head = soup.head
    assert [link["href"] for link in head.select('link[rel="webmention"]')] == [ENDPOINT]
    assert [link["href"] for link in head.select('link[rel="pingback"]')] == [PINGBACK]
    # After the content, inside the theme's <article>.
    section = soup.select_one("#responses")
    assert section.find_parent("article") is not None
    assert CONTENT not in section.get_text()
    assert CONTENT in "".join(s.get_text() for s in section.find_all_previous())
    parsed = mf2py.parse(doc=html, url=POST)
    tree = comment_tree(parsed["items"])
    assert tree == [("https://ana.example/re-hello", [("https://bo.example/re-re-hello", [])])]


def test_the_section_follows_the_content_wrapper_in_notmyidea(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    output = build(write_site(tmp_path, "notmyidea", ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("#responses")
    assert section.find_parent("div", class_="entry-content") is None
    assert section.find_previous_sibling("div")["class"] == ["entry-content"]


def test_the_section_goes_at_the_end_of_the_article_in_simple(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    output = build(write_site(tmp_path, "simple", ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("#responses")
    assert section.parent.name == "article"
    assert section.find_previous_sibling("footer") is not None


def test_a_theme_copy_of_the_comments_template_wins(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    theme = tmp_path / "mytheme"
    (theme / "templates" / "beancan").mkdir(parents=True)
    (theme / "templates" / "beancan" / "comments.html").write_text(
        '<section id="responses" class="theme-own">{{ article.title }}</section>', "utf-8"
    )
    (theme / "templates" / "article.html").write_text(
        '{% extends "!simple/article.html" %}', encoding="utf-8"
    )
    output = build(write_site(tmp_path / "site", str(theme), ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    assert [s.get_text() for s in soup.select("#responses")] == ["Hello"]
    assert soup.select_one("#responses")["class"] == ["theme-own"]


def test_a_theme_that_places_section_and_links_gets_no_second_copy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    theme = tmp_path / "mytheme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "article.html").write_text(
        '{% extends "!simple/article.html" %}'
        '{% block head %}{{ super() }}<link rel="webmention" href="https://own.example/wm">'
        "{% endblock %}"
        '{% block content %}{{ super() }}{% include "beancan/comments.html" %}{% endblock %}',
        encoding="utf-8",
    )
    output = build(write_site(tmp_path / "site", str(theme), ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#responses")) == 1
    assert soup.select_one("#responses").parent.name != "article"  # where the theme put it
    assert [x["href"] for x in soup.select('link[rel="webmention"]')] == ["https://own.example/wm"]
    assert [x["href"] for x in soup.select('link[rel="pingback"]')] == [PINGBACK]


@pytest.mark.parametrize("page", ["conversations/index.html", "peers/index.html"])
def test_beancan_pages_fill_the_themes_layout(
    tmp_path: Path, page: str, caplog: pytest.LogCaptureFixture
) -> None:
    extra = "BEANCAN_PEERS = [{'name': 'Ana', 'url': 'https://ana.example/'}]\n"
    output = build(write_site(tmp_path, "notmyidea", ["beancan"], extra), caplog)
    soup = BeautifulSoup((output / page).read_text(encoding="utf-8"), "html.parser")
    # notmyidea's own layout: its banner, its menu, its stylesheet.
    assert soup.select_one("header#banner h1 a").get_text(strip=True) == "A Blog"
    assert soup.select_one('head link[rel="stylesheet"]') is not None
    assert soup.select_one("#content, main, article, section") is not None


def test_listing_beancan_and_a_feature_registers_nothing_twice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    plugins = ["beancan", "beancan.comments", "beancan.site", "beancan.conversations"]
    output = build(write_site(tmp_path, "simple", plugins), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#responses")) == 1
    assert len(soup.select('link[rel="webmention"]')) == 1
    assert len(list((output / "conversations").glob("index.html"))) == 1


def test_a_theme_that_changes_the_content_gets_the_section_at_the_end_of_its_article(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    theme = tmp_path / "mytheme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "article.html").write_text(
        '{% extends "!simple/base.html" %}{% block content %}'
        '<article class="mine"><p>{{ article.content|striptags }}</p><footer>end</footer></article>'
        "<aside>elsewhere</aside>{% endblock %}",
        encoding="utf-8",
    )
    output = build(write_site(tmp_path / "site", str(theme), ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("#responses")
    assert section.parent["class"] == ["mine"]
    assert section.find_previous_sibling().name == "footer"


def test_a_theme_can_print_article_beancan_comments(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    theme = tmp_path / "mytheme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "article.html").write_text(
        '{% extends "!simple/base.html" %}{% block content %}<article>{{ article.content }}'
        '</article><div class="here">{{ article.beancan_comments }}</div>{% endblock %}',
        encoding="utf-8",
    )
    output = build(write_site(tmp_path / "site", str(theme), ["beancan"]), caplog)
    soup = BeautifulSoup((output / "hello.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#responses")) == 1
    assert soup.select_one("#responses").parent["class"] == ["here"]


def test_this_repositorys_theme_still_builds_without_beancan(tmp_path: Path) -> None:
    from tests.sitebuild import build_site

    build = build_site(tmp_path / "out", PLUGINS=[])
    assert [p for p in build.problems if p.startswith(("ERROR", "CRITICAL"))] == []
    assert (build.output / "index.html").is_file()


@pytest.mark.parametrize("plugin", ["beancan.conversations", "beancan.peers"])
def test_a_page_plugin_listed_alone_finds_its_templates(
    tmp_path: Path, plugin: str, caplog: pytest.LogCaptureFixture
) -> None:
    extra = "BEANCAN_PEERS = [{'name': 'Ana', 'url': 'https://ana.example/'}]\n"
    output = build(write_site(tmp_path, "notmyidea", [plugin], extra), caplog)
    page = "conversations" if plugin.endswith("conversations") else "peers"
    assert (output / page / "index.html").is_file()
