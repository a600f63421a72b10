"""Reading a source: the link check (Webmention §3.2.2) and the authorship algorithm."""

from __future__ import annotations

import pytest

from beancan.receiver.mf2 import describe_source, links_to
from beancan.urls import SiteURLs

SITE = SiteURLs("https://site.example", ["https://www.site.example"])
TARGET = "https://site.example/p/"
SOURCE = "https://bea.example/r/1"


def describe(html: str) -> dict:
    linked, body = links_to(html, "text/html", SOURCE, TARGET, SITE)
    assert linked
    return describe_source(body, SOURCE, TARGET, SITE)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ('<a href="/x">no</a><a href="http://www.site.example/p">yes</a>', "text/html", True),
        ('<img src="https://site.example/p/">', "text/html", True),
        ('<a href="https://site.example/p/other">no</a>', "text/html", False),
        ("https://site.example/p/ is great", "text/plain", True),
        ("site.example/p is great", "text/plain", False),
        # Any quoting, relative to the source or to its <base> (beancan.links).
        ("<a href='https://site.example/p/'>single</a>", "text/html", True),
        ("<a href=https://site.example/p/>unquoted</a>", "text/html", True),
        ('<base href="https://site.example/"><a href="p/">base</a>', "text/html", True),
        ('<a href="/p/">the source\'s own /p/</a>', "text/html", False),
        ('<base href="https://site.example/p/">', "text/html", False),
        ('<a href="https://site.example/p/#comment-3">fragment</a>', "text/html", True),
        ('{"links": ["https://site.example/p/"]}', "application/json", True),
        ('{"links": "see https://site.example/p/"}', "application/json", False),
    ],
)
def test_links_to(body, content_type, expected):
    assert links_to(body, content_type, SOURCE, TARGET, SITE)[0] is expected


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ('<a class="u-in-reply-to" href="https://site.example/p/">re</a>', "reply"),
        ('<a class="u-like-of" href="https://site.example/p/">like</a>', "like"),
        ('<a class="u-repost-of" href="https://site.example/p/">rp</a>', "repost"),
        ('<a class="u-bookmark-of" href="https://site.example/p/">bm</a>', "bookmark"),
        ('<a class="u-in-reply-to" href="https://site.example/p/">re</a>'
         '<data class="p-rsvp" value="yes">going</data>', "rsvp"),
        ('<a class="u-in-reply-to" href="https://else.example/">re</a>'
         '<a href="https://site.example/p/">link</a>', "mention"),
    ],
)  # fmt: skip
def test_kind_is_the_property_that_names_the_target(markup, kind):
    assert describe(f'<div class="h-entry">{markup}</div>')["kind"] == kind


def test_the_entry_naming_the_target_wins_over_the_first_one():
    html = """<div class="h-feed">
      <div class="h-entry"><p class="e-content">Unrelated</p></div>
      <div class="h-entry"><a class="u-like-of" href="https://site.example/p/">x</a>
        <p class="e-content">Liked it</p></div></div>"""
    values = describe(html)
    assert (values["kind"], values["content_text"]) == ("like", "Liked it")


def test_author_from_an_h_card_in_the_entry():
    html = """<div class="h-entry"><a class="u-in-reply-to" href="https://site.example/p/">r</a>
      <div class="p-author h-card"><a class="u-url p-name" href="https://bea.example/">Bea</a>
      <img class="u-photo" src="/bea.png" alt=""></div></div>"""
    assert describe(html)["author"] == {
        "name": "Bea", "url": "https://bea.example/", "photo": "https://bea.example/bea.png"
    }  # fmt: skip


def test_author_url_resolved_to_the_representative_h_card_on_the_page():
    html = """<div class="h-card">
      <a class="u-url p-name" href="https://bea.example/">Bea B</a></div>
      <div class="h-entry"><a class="u-in-reply-to" href="https://site.example/p/">r</a>
      <a class="u-author" href="https://bea.example/"></a></div>"""
    assert describe(html)["author"] == {"name": "Bea B", "url": "https://bea.example/", "photo": ""}


def test_author_from_the_feed_and_from_rel_author():
    feed = """<div class="h-feed"><a class="p-author h-card" href="https://feed.example/">F</a>
      <div class="h-entry"><a class="u-in-reply-to" href="https://site.example/p/">r</a></div></div>"""
    assert describe(feed)["author"]["url"] == "https://feed.example/"
    rel = """<a rel="author" href="/about">me</a><div class="h-entry">
      <a class="u-in-reply-to" href="https://site.example/p/">r</a></div>"""
    assert describe(rel)["author"] == {"url": "https://bea.example/about"}
    plain = """<div class="h-entry"><span class="p-author">Just A Name</span>
      <a class="u-in-reply-to" href="https://site.example/p/">r</a></div>"""
    assert describe(plain)["author"] == {"name": "Just A Name"}


def test_an_implied_name_is_dropped_and_a_real_title_kept():
    note = """<div class="h-entry"><p class="e-content">Short note about
      <a href="https://site.example/p/">this</a></p></div>"""
    assert describe(note)["name"] == ""
    article = """<div class="h-entry"><h1 class="p-name">A Title</h1>
      <div class="e-content"><p>Body linking <a href="https://site.example/p/">it</a></p></div></div>"""
    assert describe(article)["name"] == "A Title"


def test_a_page_without_mf2_is_a_mention_titled_by_its_title():
    values = describe('<title>Plain page</title><a href="https://site.example/p/">x</a>')
    assert values == {"kind": "mention", "name": "Plain page", "author": {}}
