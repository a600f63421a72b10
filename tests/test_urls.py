"""Canonical URLs: all the forms of one URL map to one key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beancan.urls import SiteURLs, canonical_url, metadata_urls, url_key

POST = "example.com/2026/03/the-smile-is-free"


@pytest.mark.parametrize(
    "form",
    [
        "https://example.com/2026/03/the-smile-is-free/",
        "https://example.com/2026/03/the-smile-is-free",
        "http://example.com/2026/03/the-smile-is-free/",
        "HTTPS://EXAMPLE.COM/2026/03/the-smile-is-free/",
        "https://example.com:443/2026/03/the-smile-is-free/",
        "http://example.com:80/2026/03/the-smile-is-free/",
        "https://example.com/2026/03/the-smile-is-free/?utm_source=feed&utm_medium=rss",
        "https://example.com/2026/03/the-smile-is-free/?fbclid=abc123",
        "https://example.com/2026/03/the-smile-is-free/#comments",
        "https://example.com/2026/03/./the-smile-is-free/",
        "https://example.com/2026/04/../03/the-smile-is-free/",
        "https://example.com/2026/03/the%2Dsmile%2Dis%2Dfree/",
        "https://example.com./2026/03/the-smile-is-free/",
        "  https://example.com/2026/03/the-smile-is-free/  ",
    ],
)
def test_forms_of_one_url_share_a_key(form):
    assert url_key(form) == POST


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/a?x=1&y=2", "https://example.com/a?y=2&x=1"),
        ("https://example.com/caf%c3%a9", "https://example.com/café"),
        ("https://xn--caf-dma.example/", "https://café.example/"),
    ],
)
def test_equivalent_urls(one, other):
    assert url_key(one) == url_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/a", "https://example.com/b"),
        ("https://example.com/a?page=2", "https://example.com/a?page=3"),
        ("https://example.com:8443/a", "https://example.com/a"),
        ("https://www.example.com/a", "https://example.com/a"),  # only ours merge www
    ],
)
def test_different_urls_stay_apart(one, other):
    assert url_key(one) != url_key(other)


@pytest.mark.parametrize(
    "bad", ["", "javascript:alert(1)", "data:text/html,x", "mailto:a@example.com", "/relative",
            "ftp://example.com/", "http://", "https://example.com:99999/"],
)  # fmt: skip
def test_non_http_urls_have_no_key(bad):
    assert canonical_url(bad) == ""
    assert url_key(bad) == ""


def test_canonical_url_keeps_a_working_address():
    assert (
        canonical_url("HTTP://Example.com:80/a/b/?utm_campaign=x&q=1#frag")
        == "http://example.com/a/b/?q=1"
    )


def test_relative_urls_resolve_against_a_base():
    assert canonical_url("../b/", "https://example.com/a/c/") == "https://example.com/a/b/"


@pytest.mark.parametrize(
    "form",
    [
        "http://127.0.0.1:8000/2026/03/x/",
        "https://tamsin.example/2026/03/x",
        "http://www.tamsin.example/2026/03/x/?utm_source=y",
        "https://TAMSIN.example/2026/03/x/#c-1",
    ],
)
def test_any_form_of_our_url_resolves_to_the_post(form):
    site = SiteURLs(
        "http://127.0.0.1:8000", ["https://tamsin.example", "https://www.tamsin.example"]
    )
    assert site.identity(form) == "@site/2026/03/x"


def test_other_sites_are_not_ours():
    site = SiteURLs("https://tamsin.example")
    assert site.path_key("https://tamsin.example.evil.example/2026/03/x/") == ""
    assert site.identity("https://rafe.example/x/") == "rafe.example/x"
    assert site.path_key("https://tamsin.example") == "/"


def _key_the_long_way(url: str) -> str:
    clean = canonical_url(url)
    if not clean:
        return ""
    path, _, query = clean.split("://", 1)[1].partition("?")
    path = path.rstrip("/")
    return f"{path}?{'&'.join(sorted(query.split('&')))}" if query else path


_SEGMENT = st.text(alphabet="abcXYZ019-._~:@!$&'()*+,;=%/ éü?#", max_size=12)


@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=st.sampled_from(["a.example", "A.Example", "a-b.example", "1.2.3.4", "a.example:443"]),
    path=st.lists(_SEGMENT, max_size=4).map("/".join),
    slash=st.booleans(),
)
def test_url_key_fast_path_agrees_with_full_canonicalization(scheme, host, path, slash):
    url = f"{scheme}://{host}/{path}" + ("/" if slash else "")
    assert url_key(url) == _key_the_long_way(url)


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("https://www.me.example/2026/01/p/", "@site/2026/01/p"),
        ("http://me.example/", "@site/"),
        ("https://x.example/a/./b/", "x.example/a/b"),
        ("https://x.example/%7Eu/", "x.example/~u"),
    ],
)
def test_identity_examples_asked_twice(url, identity):
    # The second answer comes from the instance's memory: the same as the first.
    site = SiteURLs("https://me.example", ["https://www.me.example"])
    assert site.identity(url) == identity
    assert site.identity(url) == identity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ("https://a.example/1", ["https://a.example/1"]),
        (
            "https://a.example/1, https://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
        ),
        ("https://a.example/1 https://b.example/2", ["https://a.example/1", "https://b.example/2"]),
        (["https://a.example/1", " "], ["https://a.example/1"]),
    ],
)
def test_metadata_urls_reads_one_or_several_urls(value, expected):
    assert metadata_urls({"syndication": value}, "syndication") == expected
