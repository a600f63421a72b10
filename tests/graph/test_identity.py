"""The graph's remembered URL identities are exactly ``SiteURLs.identity``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beancan.graph.identity import IdentityCache
from beancan.urls import SiteURLs

SITE = SiteURLs("https://me.example", ["https://www.me.example"])
HOSTS = st.sampled_from(["me.example", "www.me.example", "x.example", "X.Example", "x.example.",
                         "a..b", "127.0.0.1:8000", "x.example:443", "bücher.example"])  # fmt: skip
PATHS = st.lists(
    st.sampled_from(["a", "b.c", ".", "..", "%7E", "%2f", "~x", "@u", "é", " ", "", "q=1"]),
    max_size=4,
).map("/".join)
URLS = st.builds(
    lambda scheme, host, path, slash, query: f"{scheme}://{host}/{path}{slash}{query}",
    st.sampled_from(["http", "https", "HTTP"]), HOSTS, PATHS, st.sampled_from(["", "/"]),
    st.sampled_from(["", "?b=2&a=1", "#frag", "?utm_source=x"]),
)  # fmt: skip


@given(URLS)
def test_identity_cache_is_site_identity(url):
    assert IdentityCache(SITE)(url) == SITE.identity(url)


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("https://www.me.example/2026/01/p/", "@site/2026/01/p"),
        ("http://me.example/", "@site/"),
        ("https://x.example/a/./b/", "x.example/a/b"),
        ("https://x.example/%7Eu/", "x.example/~u"),
    ],
)
def test_identity_examples(url, identity):
    assert IdentityCache(SITE)(url) == identity
