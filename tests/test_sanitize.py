"""The allowlist sanitizer (``beancan.sanitize``): what survives, what is dropped, what is cut.

Built pages with hostile payloads are tested in ``tests/comments/test_xss.py``.
"""

from __future__ import annotations

import pytest

from beancan.sanitize import clean_html, clean_text, html_to_text, safe_url, truncate_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>hi <b>there</b></p>", "<p>hi <b>there</b></p>"),
        ("<script>alert(1)</script><p>x</p>", "<p>x</p>"),
        ('<p onclick="x()">x</p>', "<p>x</p>"),
        ('<img src="https://t.example/p.gif">', ""),  # a remote image would track the reader
        ('<a href="javascript:alert(1)">x</a>', '<a rel="ugc nofollow noopener">x</a>'),
        ('<a href="https://a.example/" rel="me">x</a>',
         '<a href="https://a.example/" rel="ugc nofollow noopener">x</a>'),
        ("<!-- hidden --><p>x</p>", "<p>x</p>"),
        ("", ""),
    ],
)  # fmt: skip
def test_clean_html_keeps_only_the_allowlist(dirty, clean):
    assert clean_html(dirty) == clean


def test_html_to_text_keeps_paragraphs():
    assert html_to_text("<p>One  &amp;\n two</p><p>Three<br>four</p>") == (
        "One & two\n\nThree\n\nfour"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  Ann\x00 <b>Smith</b> ", "Ann Smith"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        (None, ""),
        (42, "42"),
        ("x" * 400, "x" * 299 + "…"),
    ],
)
def test_clean_text_is_one_plain_capped_line(value, text):
    assert clean_text(value) == text


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("https://A.example/p", "https://a.example/p"),
        ("javascript:alert(1)", ""),
        ("data:text/html,x", ""),
        (None, ""),
    ],
)
def test_safe_url_is_http_or_nothing(value, url):
    assert safe_url(value) == url


def test_truncate_html_cuts_at_a_block_edge():
    value = "<p>" + "a " * 30 + "</p><p>" + "b " * 30 + "</p>"
    cut, was_cut = truncate_html(value, 70)
    assert was_cut and cut == "<p>" + "a " * 30 + "</p>"
    assert truncate_html(value, 1000) == (value, False)


def test_truncate_html_falls_back_to_text_for_one_long_block():
    cut, was_cut = truncate_html("<p>" + "word " * 50 + "</p>", 22)
    assert was_cut and cut == "<p>word word word word…</p>"
