"""Issue 3 end to end: the demo's threads, in the built HTML and in its microformats."""

from __future__ import annotations

from collections import Counter

import mf2py
import pytest
from bs4 import BeautifulSoup

from beancan.store import InteractionStore
from beancan.urls import SiteURLs
from tests.sitebuild import ROOT

SITEURL = "http://127.0.0.1:8000"
POST = "2026/03/the-smile-is-free/"
SITE = SiteURLs(SITEURL, ["https://tamsin.example", "https://www.tamsin.example"])
#: The cross-blog thread under the post, top to bottom: Rafe and Tamsin in turn.
CHAIN = [
    "https://rafe.example/notes/2026/03/17/wall/",
    f"{SITEURL}/2026/03/re-the-wall-behind-the-counter/",
    "https://rafe.example/notes/2026/03/20/good-days/",
    f"{SITEURL}/2026/03/re-good-days-and-bad-days/",
    "https://rafe.example/notes/2026/03/22/thread/",
]


@pytest.fixture(scope="module")
def store():
    return InteractionStore.load(ROOT / "data")


def _entry(demo_build, path):
    parsed = mf2py.parse(doc=demo_build.page(path + "index.html"), url=f"{SITEURL}/{path}")
    return next(i for i in parsed["items"] if "h-entry" in i["type"])


def test_cross_blog_thread_is_nested_in_mf2(demo_build):
    entry = _entry(demo_build, POST)
    level = entry["properties"]["comment"]
    for depth, url in enumerate(CHAIN, start=1):
        found = [c for c in level if c["properties"]["url"] == [url]]
        assert found, f"level {depth}: {url} not among {[c['properties']['url'] for c in level]}"
        level = found[0]["properties"].get("comment", [])
    assert len(CHAIN) >= 5  # four levels of replies to replies, across two sites


def test_cross_blog_thread_is_nested_in_html(demo_build):
    soup = BeautifulSoup(demo_build.page(POST + "index.html"), "html.parser")
    comments = [
        soup.find("a", class_="u-url", href=url).find_parent("article", class_="p-comment")
        for url in CHAIN
    ]
    for parent, child in zip(comments, comments[1:], strict=False):
        assert parent in child.find_parents("article"), "a reply is not inside what it answers"
    authors = [c.find(class_="comment-author").text for c in comments]
    assert authors == ["Rafe Okonkwo", "Tamsin Hale"] * 2 + ["Rafe Okonkwo"]
    assert ["comment--author" in c["class"] for c in comments] == [False, True] * 2 + [False]


def test_pending_and_spam_never_show(demo_build, store):
    hidden = [i for i in store if i.status in ("pending", "spam", "deleted")]
    assert {i.status for i in hidden} >= {"pending", "spam"}
    pages = "".join(p.read_text("utf-8") for p in demo_build.output.rglob("*.html"))
    for interaction in hidden:
        assert interaction.permalink not in pages
        assert interaction.author.url not in pages or any(
            i.author.url == interaction.author.url for i in store.visible()
        )


@pytest.mark.parametrize(
    "path",
    [
        "2026/01/why-i-still-keep-a-blog/",
        "2026/02/strangers-on-the-line-part-1/",
        POST,
        "2026/04/comment-sections-are-conversations/",
        "2026/06/a-tin-can-meetup/",
        "2026/07/follow-the-links-not-the-numbers/",
    ],
)
def test_reaction_counts_match_the_data(demo_build, store, path):
    key = SITE.identity(f"{SITEURL}/{path}")
    expected = Counter()
    people = set()
    for i in store.visible():
        if SITE.identity(i.target) != key or i.kind == "reply":
            continue
        if i.kind in ("like", "repost", "bookmark"):
            who = (i.kind, SITE.identity(i.author.url) or i.permalink)
            if who in people:
                continue
            people.add(who)
        expected[i.kind] += 1
    # Our own posts that link this one show as mentions too (part 2 → part 1).
    slug = path.rstrip("/").rsplit("/", 1)[1]
    expected["mention"] += sum(
        1
        for md in (ROOT / "content").rglob("*.md")
        if f"{slug}.md)" in md.read_text("utf-8") or f"/{path}" in md.read_text("utf-8")
    )
    expected = +expected  # drop zero counts
    soup = BeautifulSoup(demo_build.page(path + "index.html"), "html.parser")
    shown = Counter()
    for item in soup.select(".comment-counts li"):
        kind = next(c for c in item["class"] if c.startswith("count-")).removeprefix("count-")
        shown[kind] = int(item.strong.text)
    shown.pop("reply", None)
    assert shown == expected
    for kind in ("like", "repost", "bookmark"):
        assert len(soup.select(f".facepile-{kind} .h-cite")) == expected[kind]


def test_reply_count_includes_the_authors_notes(demo_build, store):
    key = SITE.identity(f"{SITEURL}/{POST}")
    from_others = sum(
        1 for i in store.visible() if i.kind == "reply" and SITE.identity(i.target) == key
    )
    soup = BeautifulSoup(demo_build.page(POST + "index.html"), "html.parser")
    assert int(soup.select_one(".count-reply strong").text) == from_others + 2
    assert len(soup.select(".thread .p-comment")) == from_others + 2


def test_series_part_two_shows_under_part_one_as_a_mention(demo_build):
    entry = _entry(demo_build, "2026/02/strangers-on-the-line-part-1/")
    mentions = [m["properties"]["url"][0] for m in entry["properties"].get("mention", [])]
    assert f"{SITEURL}/2026/02/strangers-on-the-line-part-2/" in mentions
