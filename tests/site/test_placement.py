"""``site/placement.py``: the head links a theme left out, and only those."""

from __future__ import annotations

import re

import hypothesis
import hypothesis.strategies as st
import pytest

from beancan.settings import get_settings
from beancan.site.placement import _place_head_links as _place_links

ENDPOINTS = {
    "SITEURL": "https://blog.example",
    "BEANCAN_WEBMENTION_ENDPOINT": "https://hooks.example/webmention",
    "BEANCAN_PINGBACK_ENDPOINT": "https://hooks.example/xmlrpc",
}
#: The scan ``_place_head_links`` used before it skipped the ``<link>`` tags
#: that cannot name a rel: one regex over the whole head.
_REL = re.compile(r"""<link\b[^>]*\brel=["']?[^"'>]*\b(webmention|pingback)\b""", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)


def scanned(html: str) -> str:
    head_end = _HEAD_END.search(html)
    if head_end is None:
        return html
    wanted = {"webmention": ENDPOINTS["BEANCAN_WEBMENTION_ENDPOINT"],
              "pingback": ENDPOINTS["BEANCAN_PINGBACK_ENDPOINT"]}  # fmt: skip
    for found in _REL.finditer(html, 0, head_end.start()):
        wanted.pop(found.group(1).lower(), None)
    links = "".join(f'<link rel="{rel}" href="{url}">\n' for rel, url in wanted.items())
    return f"{html[: head_end.start()]}{links}{html[head_end.start() :]}"


def _place_head_links(html: str, context: dict) -> str:
    head_end = _HEAD_END.search(html)
    return html if head_end is None else _place_links(html, get_settings(context), head_end.start())


def context() -> dict:
    settings = dict(ENDPOINTS)
    get_settings(settings)  # Pelican's context carries the run's settings
    return settings


_TAG = st.tuples(
    st.sampled_from(["<link", "<LINK", "<linked", "<meta", "x"]),
    st.lists(
        st.sampled_from([" rel=", " REL=", " title=", " href=x", "'", '"', "webmention",
                         "Pingback", "WebMention", "stylesheet", " alternate", " ", "-", "<link",
                         "pingbac\u212a", "p\u0131ngback", "\u0130", "\u017f", "é",
                         ' rel="webmention"', ' rel="pingback"', ' rel="webmention pingback"',
                         " data-rel=", "\t", "_", ">"]),
        max_size=6,
    ).map("".join),
    st.sampled_from([">", "/>", ""]),
).map("".join) | st.sampled_from([
    # the tags themselves, found whole before any scan
    '<link rel="webmention" href="https://hooks.example/webmention">',
    '<link rel="pingback" href="https://hooks.example/xmlrpc">',
    '<link rel="pingback" href="https://hooks.example/webmention">',
])  # fmt: skip
_HEAD = st.tuples(
    st.lists(_TAG, max_size=5).map("".join),
    st.sampled_from(["</head>", "</HEAD >", "", "</head>"]),
    st.lists(_TAG, max_size=2).map("".join),
).map("".join)


@hypothesis.settings(max_examples=1500, deadline=None)
@hypothesis.given(_HEAD)
def test_head_links_are_found_as_the_whole_head_scan_found_them(html: str) -> None:
    """Only the ``<link>`` tags that can name a rel are read: the whole-head scan agrees."""
    assert _place_head_links(html, context()) == scanned(html)


@pytest.mark.parametrize(
    ("head", "added"),
    [
        ('<link rel="stylesheet" href="s.css">', ["webmention", "pingback"]),
        ('<link rel="webmention" href="w"><LINK REL=Pingback href=p>', []),
        ('<link href="w" rel="alternate webmention">', ["pingback"]),
        ('<link rel="webmention pingback" href="w">', ["webmention"]),
        ('<link title="webmention" rel="me">', ["webmention", "pingback"]),
        # A dotless i matches "i" case-insensitively, but does not lower to it;
        # the Kelvin sign is a letter: "webmention" does not end there.
        ("<link rel=p\u0131ngback><link rel=webmention\u212a>", ["webmention", "pingback"]),
        ("<link rel=pingbac\u212a>", ["webmention"]),
    ],
    ids=[
        "neither",
        "both",
        "second-word",
        "last-word-counts",
        "only-in-title",
        "beyond-ascii",
        "kelvin-sign",
    ],
)
def test_a_head_gets_the_links_it_lacks(head: str, added: list[str]) -> None:
    html = f"<html><head>{head}</head><body></body></html>"
    placed = _place_head_links(html, context())
    assert re.findall(r'<link rel="(\w+)" href="https://hooks', placed) == added


def test_article_beancan_comments_is_there_while_the_post_renders_only() -> None:
    """Printed twice in the post's page (the section rendered inside it), then gone.

    Kept after the render, it held that page's whole context for the rest of the build.
    """
    from types import SimpleNamespace

    from jinja2 import DictLoader, Environment

    from beancan.site.placement import SECTION_TEMPLATE, placing_template_class

    env = Environment(
        loader=DictLoader({
            "page.html": "<html><head></head><body>{{ article.beancan_comments }}"
                         "|{{ article.beancan_comments }}</body></html>",
            SECTION_TEMPLATE: '<section id="responses">{{ article.title }}</section>',
        })
    )  # fmt: skip
    env.template_class = placing_template_class(env.template_class)
    post = SimpleNamespace(beancan=object(), title="A post")
    html = env.get_template("page.html").render({"article": post})
    assert html.count('<section id="responses">A post</section>') == 2
    assert not hasattr(post, "beancan_comments")
