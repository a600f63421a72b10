"""``beancan.mf2``: every shape mf2py gives a property, flattened once.

The helpers run on real mf2py output of small documents (the shapes change
between mf2py versions: ``photo`` became ``{"value", "alt"}`` in 2.0), and on
the raw shapes themselves for what a parser may hand over from JSON (JF2,
mf2 JSON) where no HTML is involved.
"""

from __future__ import annotations

from typing import Any

import pytest

from beancan import mf2

BASE = "https://bea.example/notes/1"


def entry_props(markup: str) -> dict[str, Any]:
    """The properties of the first h-entry of ``markup``, as mf2py parses them."""
    parsed = mf2.parse(f'<div class="h-entry">{markup}</div>', BASE)
    return next(mf2.entries(parsed))["properties"]


# ---- on real mf2py output ------------------------------------------------------------

AUTHORS = {
    "h-card with photo and alt": (
        '<div class="p-author h-card"><a class="u-url p-name" href="/">Bea</a>'
        '<img class="u-photo" src="/bea.png" alt="Bea smiling"></div>',
        {"name": "Bea", "url": "https://bea.example/", "photo": "https://bea.example/bea.png"},
    ),
    "h-card with photo, no alt": (
        '<div class="p-author h-card"><a class="u-url p-name" href="/">Bea</a>'
        '<img class="u-photo" src="/bea.png"></div>',
        {"name": "Bea", "url": "https://bea.example/", "photo": "https://bea.example/bea.png"},
    ),
    "h-card, name only": (
        '<span class="p-author h-card">Bea B</span>',
        {"name": "Bea B", "url": "", "photo": ""},
    ),
    "u-author URL": (
        '<a class="u-author" href="https://bea.example/"></a>',
        {"name": "", "url": "https://bea.example/", "photo": ""},
    ),
    "p-author name": (
        '<span class="p-author">Bea B</span>',
        {"name": "Bea B", "url": "", "photo": ""},
    ),
    "two authors: the first": (
        '<a class="u-author" href="https://first.example/"></a>'
        '<span class="p-author h-card">Second</span>',
        {"name": "", "url": "https://first.example/", "photo": ""},
    ),
}


@pytest.mark.parametrize(("markup", "expected"), AUTHORS.values(), ids=AUTHORS.keys())
def test_get_author_from_every_shape_mf2py_gives(markup: str, expected: dict) -> None:
    assert mf2.get_author(entry_props(markup).get("author")) == expected


def test_get_author_of_an_entry_without_one_is_none() -> None:
    assert mf2.get_author(entry_props('<p class="p-name">hi</p>').get("author")) is None


PHOTOS = {
    "with alt (mf2py 2: a dict)": (
        '<img class="u-photo" src="p.jpg" alt="A cat">',
        "https://bea.example/notes/p.jpg",
    ),
    "without alt (a string)": (
        '<img class="u-photo" src="p.jpg">',
        "https://bea.example/notes/p.jpg",
    ),
    "a link": ('<a class="u-photo" href="/p.jpg">photo</a>', "https://bea.example/p.jpg"),
}


@pytest.mark.parametrize(("markup", "url"), PHOTOS.values(), ids=PHOTOS.keys())
def test_get_photo_gives_the_url_whatever_the_shape(markup: str, url: str) -> None:
    assert mf2.get_photo(entry_props(markup).get("photo")) == url


URLS = {
    "u-in-reply-to links": (
        '<a class="u-in-reply-to" href="https://a.example/1">a</a>'
        '<a class="u-in-reply-to" href="/2">b</a>',
        ["https://a.example/1", "https://bea.example/2"],
    ),
    "h-cite with u-url": (
        '<div class="u-in-reply-to h-cite"><a class="u-url" href="https://a.example/p">A</a>'
        '<span class="p-name">A post</span></div>',
        ["https://a.example/p"],
    ),
    "h-cite without u-url (value)": (
        '<div class="p-in-reply-to h-cite"><span class="p-name">just text</span></div>',
        ["just text"],
    ),
}


@pytest.mark.parametrize(("markup", "expected"), URLS.values(), ids=URLS.keys())
def test_get_urls_of_plain_and_embedded_values(markup: str, expected: list[str]) -> None:
    assert mf2.get_urls(entry_props(markup).get("in-reply-to")) == expected


def test_get_text_of_names_dates_and_plain_content() -> None:
    props = entry_props(
        '<h1 class="p-name"> A title </h1><time class="dt-published" '
        'datetime="2026-03-01T10:00:00+00:00">1 March</time><p class="p-summary">Sum</p>'
    )
    assert mf2.get_text(props.get("name")) == "A title"
    # mf2py's own normalization of the datetime (value-class parsing), kept as given.
    assert mf2.get_text(props.get("published")) == "2026-03-01T10:00:00+0000"
    assert mf2.get_text(props.get("summary")) == "Sum"


def test_get_html_and_get_text_of_e_content() -> None:
    props = entry_props('<div class="e-content">Hello <a href="/x">you</a></div>')
    assert mf2.get_html(props.get("content")) == 'Hello <a href="https://bea.example/x">you</a>'
    assert mf2.get_text(props.get("content")) == "Hello you"


def test_entries_with_their_feed_in_document_order() -> None:
    parsed = mf2.parse(
        '<div class="h-entry"><p class="p-name">one</p></div>'
        '<div class="h-feed"><div class="h-entry"><p class="p-name">two</p></div>'
        '<div class="h-card">not an entry</div></div>',
        BASE,
    )
    found = [(mf2.get_text(e["properties"]["name"]), f is not None) for e, f in
             mf2.entries_with_feed(parsed)]  # fmt: skip
    assert found == [("one", False), ("two", True)]


def test_rel_urls_are_absolute_in_document_order() -> None:
    parsed = mf2.parse(
        '<a rel="me" href="https://social.example/@bea">m</a><link rel="me" href="/about">', BASE
    )
    assert mf2.rel_urls(parsed, "me") == [
        "https://social.example/@bea",
        "https://bea.example/about",
    ]
    assert mf2.rel_urls(parsed, "author") == []


def test_metaformats_are_off_a_plain_page_has_no_entry() -> None:
    parsed = mf2.parse(
        '<html><head><title>T</title><meta property="og:title" content="T"></head></html>', BASE
    )
    assert list(mf2.entries(parsed)) == []


# ---- on raw shapes (mf2 JSON, JF2, hostile input) ------------------------------------

CARD = {"type": ["h-card"], "properties": {"name": ["Bea"], "url": ["https://bea.example/"]}}


@pytest.mark.parametrize(
    ("values", "text", "urls"),
    [
        (None, "", []),
        ([], "", []),
        ("https://a.example/", "https://a.example/", ["https://a.example/"]),
        (["", "  ", "second"], "second", ["second"]),
        ([{"value": "https://a.example/p.jpg", "alt": "A"}], "https://a.example/p.jpg",
         ["https://a.example/p.jpg"]),
        ([CARD], "Bea", ["https://bea.example/"]),
        ([{"type": ["h-card"], "properties": {}}], "", []),
        ([{"html": "<b>x</b>", "value": "x"}], "x", ["x"]),
        ([42, None, {"value": 7}, "ok"], "ok", ["ok"]),
    ],
    ids=["none", "empty", "bare string", "blanks skipped", "photo dict", "h-card",
         "empty h-card", "e-property", "junk types"],
)  # fmt: skip
def test_get_text_and_get_urls_on_raw_shapes(values: Any, text: str, urls: list[str]) -> None:
    assert mf2.get_text(values) == text
    assert mf2.get_urls(values) == urls


def test_deeply_nested_values_stop_at_the_depth_cap() -> None:
    value: Any = "https://deep.example/"
    for _ in range(mf2.MAX_DEPTH + 5):
        value = {"type": ["h-cite"], "properties": {"url": [value], "name": [value]}}
    assert mf2.get_urls([value]) == []
    assert mf2.get_text([value]) == ""


def test_get_author_of_raw_jf2_like_shapes() -> None:
    assert mf2.get_author([CARD]) == {"name": "Bea", "url": "https://bea.example/", "photo": ""}
    assert mf2.get_author(["Bea B"]) == {"name": "Bea B", "url": "", "photo": ""}
    assert mf2.get_author([{"value": "https://bea.example/"}]) == {
        "name": "",
        "url": "https://bea.example/",
        "photo": "",
    }
    assert mf2.get_author(["", None]) is None
