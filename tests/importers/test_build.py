"""An imported thread, built by Pelican, reads as it did on the old blog: HTML and mf2."""

from __future__ import annotations

import mf2py
import pytest
from bs4 import BeautifulSoup

from beancan.importers import run_import
from tests.sitebuild import build_site

from .conftest import DISQUS, WXR

SITEURL = "https://ingrid.example"
POST = "2009/05/two-cans-and-a-string/"
KNOTS = "2011/02/knots-for-beginners/"
OLD = "http://oldblog.example/"


def _comment(number: int, post: str = POST) -> str:
    return f"{OLD}{post}?replytocom={number}"


@pytest.fixture
def build(site, tmp_path):
    run_import(site.settings, "wordpress", WXR)
    run_import(site.settings, "disqus", DISQUS)
    result = build_site(tmp_path / "output", str(site.settings))
    assert result.problems == []
    return result


def _tree(comments: list[dict]) -> list:
    """mf2 comments as nested ``(url, [children])`` pairs."""
    return [
        (c["properties"]["url"][0], _tree(c["properties"].get("comment", []))) for c in comments
    ]


def _entry(build, path: str) -> dict:
    parsed = mf2py.parse(doc=build.page(path + "index.html"), url=f"{SITEURL}/{path}")
    return next(i for i in parsed["items"] if "h-entry" in i["type"])


def test_wordpress_thread_is_nested_as_on_the_old_blog_in_mf2(build):
    comments = _entry(build, POST)["properties"]["comment"]
    assert _tree(comments) == [
        (_comment(41), [(_comment(51), [])]),  # its trashed parent skipped over
        (_comment(42), [(_comment(43), [(_comment(44), [])])]),  # depth 3
        (_comment(49), []),  # the pending comment (48) is not shown
    ]


def test_wordpress_thread_is_nested_in_html_with_the_authors_replies_marked(build):
    soup = BeautifulSoup(build.page(POST + "index.html"), "html.parser")

    def article(number: int):
        link = soup.find("a", class_="u-url", href=_comment(number))
        return link.find_parent("article", class_="p-comment")

    blogger, author, answer = article(42), article(43), article(44)
    assert blogger in author.find_parents("article")
    assert author in answer.find_parents("article")
    assert [a.find(class_="comment-author").text for a in (blogger, author, answer)] == [
        "Margarethe O'Dwyer", "Ingrid Vale", "Margarethe O'Dwyer"
    ]  # fmt: skip
    marked = [n for n in (41, 42, 43, 44, 49, 51) if "comment--author" in article(n)["class"]]
    assert marked == [43, 51]
    assert "🥫" in article(41).text and "Håkon Bråten" in article(41).text


def test_pingback_and_trackback_show_as_mentions(build):
    soup = BeautifulSoup(build.page(POST + "index.html"), "html.parser")
    mentions = [" ".join(li.text.split()) for li in soup.find_all("li", class_="p-mention")]
    assert mentions == [
        "margarethe.example mentioned this in Margarethe's Attic » A tin telephone for my "
        "nephew, 18 May 2009",
        "tobias.example mentioned this in Tobias Reads, 20 May 2009",
        # Our own later post: its link, shown once (the imported pingback is skipped).
        "Ingrid Vale mentioned this in A quiet post, 1 January 2012",
    ]


def test_disqus_thread_is_nested_in_mf2(build):
    comments = _entry(build, KNOTS)["properties"]["comment"]
    assert _tree(comments) == [(_comment(880001, KNOTS), [(_comment(880002, KNOTS), [])])]
