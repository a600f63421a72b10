"""``beancan.links``: one answer to "what does this HTML link to?"."""

from __future__ import annotations

import hypothesis
import hypothesis.strategies as st
import pytest

from beancan.links import (
    MAX_HTML_CHARS,
    MAX_LINKS,
    _absolute,
    _scan,
    linked_urls,
    outgoing_links,
    post_links,
)
from beancan.urls import SiteURLs

BASE = "https://blog.example/2026/01/post/"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="https://odile.example/p">x</a>', ["https://odile.example/p"]),
        # The regex the plugins used (href="...") missed these two.
        ("<a href='https://odile.example/p'>x</a>", ["https://odile.example/p"]),
        ("<a href=https://odile.example/p>x</a>", ["https://odile.example/p"]),
        ('<a href="/2026/01/other/">x</a>', ["https://blog.example/2026/01/other/"]),
        ('<a href="../other/">x</a>', ["https://blog.example/2026/01/other/"]),
        ("<a href=note.html>x</a>", ["https://blog.example/2026/01/post/note.html"]),
        ('<a href="//cdn.example/a">x</a>', ["https://cdn.example/a"]),
        ('<a href="https://odile.example/p#comments">x</a>', ["https://odile.example/p"]),
        ('<a href="  https://odile.example/p  ">x</a>', ["https://odile.example/p"]),
        ('<A HREF="https://odile.example/p">x</A>', ["https://odile.example/p"]),
        ('<a href="https://a.example/&amp;x=1">x</a>', ["https://a.example/&x=1"]),
    ],
    ids=[
        "double-quoted", "single-quoted", "unquoted", "root-relative", "dot-relative",
        "bare-relative", "scheme-relative", "fragment-dropped", "whitespace", "upper-case",
        "entity",
    ],
)  # fmt: skip
def test_outgoing_links_resolve_every_form_of_href(html: str, expected: list[str]) -> None:
    assert outgoing_links(html, BASE) == expected


@pytest.mark.parametrize(
    "href",
    [
        "#comments",
        "#",
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "mailto:me@example.com",
        "tel:+441234",
        "data:text/html,hi",
        "ftp://files.example/x",
        "{filename}/posts/other.md",
        "",
    ],
)
def test_outgoing_links_ignore_what_is_not_a_web_link(href: str) -> None:
    assert outgoing_links(f'<a href="{href}">x</a><a href="/kept/">k</a>', BASE) == [
        "https://blog.example/kept/"
    ]


def test_base_href_sets_the_base_of_relative_links() -> None:
    html = '<base href="https://mirror.example/d/"><a href="x">x</a><a href="/y">y</a>'
    assert outgoing_links(html, BASE) == ["https://mirror.example/d/x", "https://mirror.example/y"]


def test_only_the_first_base_counts_and_a_relative_base_resolves_against_the_url() -> None:
    html = '<base href="/sub/"><base href="https://other.example/"><a href="x">x</a>'
    assert outgoing_links(html, BASE) == ["https://blog.example/sub/x"]


def test_a_base_that_is_not_http_is_ignored() -> None:
    html = '<base href="javascript:void(0)/"><a href="x">x</a>'
    assert outgoing_links(html, BASE) == [BASE + "x"]


def test_links_come_in_document_order_without_duplicates() -> None:
    html = (
        '<a href="https://b.example/">b</a><p><a href="https://a.example/">a</a></p>'
        '<a href="https://b.example/#again">b</a><area href="https://c.example/">'
    )
    assert outgoing_links(html, BASE) == [
        "https://b.example/",
        "https://a.example/",
        "https://c.example/",
    ]


def test_only_anchors_are_outgoing_links_but_verification_sees_every_link_attribute() -> None:
    html = (
        '<img src="/photo.jpg"><blockquote cite="https://q.example/">q</blockquote>'
        '<video poster="/p.png"></video><object data="/o.svg"></object>'
        '<link href="/style.css"><a href="https://a.example/">a</a>'
    )
    assert outgoing_links(html, BASE) == ["https://a.example/"]
    assert linked_urls(html, BASE) == [
        "https://blog.example/photo.jpg",
        "https://q.example/",
        "https://blog.example/p.png",
        "https://blog.example/o.svg",
        "https://blog.example/style.css",
        "https://a.example/",
    ]


def test_a_base_element_is_not_itself_a_link() -> None:
    assert linked_urls('<base href="https://target.example/">', BASE) == []


@pytest.mark.parametrize(
    "html",
    ["", "plain text, no markup", "<", "<<<>>>", "\x00\x01<a href='/x'>", "<?xml?><a href=/x>"],
)
def test_broken_or_empty_html_gives_what_it_can_and_never_raises(html: str) -> None:
    found = outgoing_links(html, BASE)
    assert found == (["https://blog.example/x"] if "/x" in html else [])


def test_input_beyond_the_size_cap_is_not_read() -> None:
    padding = "x" * MAX_HTML_CHARS
    html = '<a href="https://early.example/">e</a>' + padding + '<a href="https://late.example/">'
    assert outgoing_links(html, BASE) == ["https://early.example/"]


def test_links_beyond_the_count_cap_are_dropped() -> None:
    html = "".join(f'<a href="https://h.example/{n}">n</a>' for n in range(MAX_LINKS + 50))
    found = outgoing_links(html, BASE)
    assert len(found) == MAX_LINKS
    assert found[-1] == f"https://h.example/{MAX_LINKS - 1}"


# ---- one post, three readers -----------------------------------------------------------


def test_comments_graph_and_send_agree_on_a_posts_links(tmp_path) -> None:
    """A real build of the demo plus one post whose links only a real parser reads.

    The own link is single-quoted and relative, the other unquoted: the
    regex the comments and conversations plugins used found neither. Each
    reader takes its share of the same list: the comment section its own
    post, the graph Odile, send the one link that is not ours.
    """
    import shutil

    import mf2py

    from beancan.urls import SiteURLs
    from beancan.webmention.manifest import read_manifest
    from tests.sitebuild import ROOT, build_site

    siteurl = "http://127.0.0.1:8000"
    post = f"{siteurl}/2026/03/agreeing/"
    smile = f"{siteurl}/2026/03/the-smile-is-free/"
    odile = "https://odile.example/2026/03/new-thoughts/"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "posts" / "agreeing.md").write_text(
        "Title: Agreeing with myself\nDate: 2026-03-25 09:00\nSlug: agreeing\n\n"
        "<p>As I said in <a href='../the-smile-is-free/'>my smile post</a>, and as\n"
        f"<a href={odile}>Odile</a> says <a href='#more'>below</a>.</p>\n",
        encoding="utf-8",
    )

    build = build_site(tmp_path / "output", PATH=str(content))

    assert build.problems == []
    rendered = build.page("2026/03/agreeing/index.html")
    assert outgoing_links(rendered.split('class="e-content', 1)[1].split("</div>")[0], post) == [
        smile,
        odile,
    ]
    # The comment section: the linked post of ours shows this one as a mention.
    parsed = mf2py.parse(doc=build.page("2026/03/the-smile-is-free/index.html"), url=smile)
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])
    mentions = [m["properties"]["url"][0] for m in entry["properties"].get("mention", [])]
    assert post in mentions
    # The graph: Odile's page counts the post as our mention of her.
    assert f'<a href="{post}">' in build.page("conversations/odile-example/index.html")
    # Send: the build's manifest holds the one link that is not ours.
    site = SiteURLs(siteurl, ["https://tamsin.example", "https://www.tamsin.example"])
    sources = {
        s.url: s.targets for s in read_manifest(tmp_path / "cache" / "beancan-links.jsonl", site)
    }
    assert sources[post] == (odile,)


# ---- reading less ----------------------------------------------------------------------

# What could stand between "<" and a tag's name, and the names: case, white space,
# the control characters the reader drops, comment and processing openers, non-ASCII.
_BETWEEN = [" ", "\t", "\n", "\r", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\u00a0",
            "\u2028", "\ufeff", "/", "!", "?", "-", "<", "&", "é"]  # fmt: skip
_NAMES = ["a", "A", "area", "AREA", "abbr", "b", "p", "base", "!--", ""]
_REST = [" href='/x'>", ' HREF="/x">', " href=/x>", "/x>", ">", "-->", ""]


@hypothesis.settings(max_examples=1500, deadline=None)
@hypothesis.given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_BETWEEN), max_size=3).map("".join),
            st.sampled_from(_NAMES),
            st.sampled_from(_REST),
        ).map(lambda t: "<" + "".join(t)),
        max_size=4,
    ).map("x".join)
)
def test_html_left_unparsed_has_no_link_the_parser_would_find(html: str) -> None:
    """``outgoing_links`` skips the parser when it sees no ``<a``: the parser agrees."""
    collector = _scan(html, frozenset({"a", "area"}), ("href",))
    parsed = _absolute(collector.found, BASE, collector.base)
    assert outgoing_links(html, BASE) == parsed


@pytest.mark.parametrize(
    "html",
    ['<a href="/x">', '<A HREF="/x">', "<\x00a href=/x>", "<area href='/x'>", "<\x01A href=/x>"],
)
def test_every_form_of_an_anchor_is_still_parsed(html: str) -> None:
    assert outgoing_links(html, BASE) == ["https://blog.example/x"]


class _Post:
    """What ``post_links`` uses of a Pelican content object, counting what it reads."""

    def __init__(self, content: str, url: str = "2026/01/post/") -> None:
        self._content = content
        self._url = url
        self.reads = 0

    @property
    def content(self) -> str:
        self.reads += 1
        return self._content

    @property
    def url(self) -> str:
        self.reads += 1
        return self._url


SITE = SiteURLs("https://blog.example")


def test_post_links_reads_a_post_once_and_answers_as_outgoing_links() -> None:
    post = _Post('<p><a href="../other/">o</a> <a href="https://a.example/">a</a></p>')

    first = post_links(post, SITE)
    second = post_links(post, SiteURLs("https://blog.example"))

    assert first == second == (BASE, tuple(outgoing_links(post._content, BASE)))
    assert post.reads == 2  # its URL and its content, once each


def test_post_links_asked_for_another_site_reads_again() -> None:
    post = _Post('<a href="x">x</a>')

    assert post_links(post, SITE) == (BASE, (BASE + "x",))
    other = "https://other.example/2026/01/post/"
    assert post_links(post, SiteURLs("https://other.example")) == (other, (other + "x",))
    assert post.reads == 4
