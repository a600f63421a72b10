"""The 23 webmention.rocks discovery tests, served on 127.0.0.1 (Webmention §3.1.2).

Each fixture reproduces one https://webmention.rocks/test/N page: its Link
headers (names and casing included), its <head> link tag and its body, as
the site serves them (aaronpk/webmention.rocks, lib/Rocks/DiscoveryTestData.php).
Every test asserts the exact endpoint; the end-to-end test checks that the
right endpoint, and no /error endpoint, got the POST.
"""

from __future__ import annotations

import asyncio

import pytest

from beancan.http import HttpClient
from beancan.webmention.endpoint_discovery import discover, parse_link_header
from beancan.webmention.send import send_webmentions
from beancan.webmention.sources import OutgoingSource

from .conftest import Reply, Server

B = "{base}"  # replaced by the server's base URL
ROCKS: dict[int, dict] = {
    1: {"headers": [("Link", "</test/1/webmention>; rel=webmention")]},
    2: {"headers": [("Link", f"<{B}/test/2/webmention>; rel=webmention")]},
    3: {"link": '<link rel="webmention" href="/test/3/webmention">'},
    4: {"link": f'<link href="{B}/test/4/webmention" rel="webmention">'},
    5: {"body": 'Its <a rel="webmention" href="/test/5/webmention">endpoint</a> in a body.'},
    6: {"body": f'Its <a href="{B}/test/6/webmention" rel="webmention">endpoint</a>.'},
    7: {"headers": [("LinK", f"<{B}/test/7/webmention>; rel=webmention")]},
    8: {"headers": [("Link", f'<{B}/test/8/webmention>; rel="webmention"')]},
    9: {"link": f'<link rel="webmention somethingelse" href="{B}/test/9/webmention">'},
    10: {"headers": [("Link", f'<{B}/test/10/webmention>; rel="webmention somethingelse"')]},
    11: {
        "headers": [("Link", '</test/11/webmention>; rel="webmention"')],
        "link": '<link rel="webmention" href="/test/11/webmention/error">',
        "body": 'An <a href="/test/11/webmention/error" rel="webmention">&lt;a&gt; tag</a>.',
    },
    12: {
        "link": '<link rel="not-webmention" href="/test/12/webmention/error">',
        "body": 'A <a href="/test/12/webmention" rel="webmention">correct endpoint</a>.',
    },
    13: {
        "body": 'A comment <!-- <a href="/test/13/webmention/error" rel="webmention"></a> --> '
        'then a <a href="/test/13/webmention" rel="webmention">correct endpoint</a>.',
    },
    14: {
        "body": '<code>&lt;a href="/test/14/webmention/error" rel="webmention"&gt;&lt;/a&gt;'
        '</code> then a <a href="/test/14/webmention" rel="webmention">correct endpoint</a>.',
    },
    15: {"link": '<link rel="webmention" href="">'},
    16: {
        "body": 'An <a href="/test/16/webmention" rel="webmention">&lt;a&gt; tag</a>, then '
        'a later <link rel="webmention" href="/test/16/webmention/error">',
    },
    17: {
        "body": 'A <link rel="webmention" href="/test/17/webmention"> tag, then an '
        '<a href="/test/17/webmention/error" rel="webmention">&lt;a&gt; tag</a>.',
    },
    18: {
        "headers": [
            ("Link", f'<{B}/test/18/webmention/error>; rel="other"'),
            ("Link", f'<{B}/test/18/webmention>; rel="webmention"'),
        ]
    },
    19: {
        "headers": [
            (
                "Link",
                f'<{B}/test/19/webmention/error>; rel="other", '
                f'<{B}/test/19/webmention>; rel="webmention"',
            )
        ]
    },
    20: {
        "body": 'A <link rel="webmention"> tag without href, then '
        '<a href="/test/20/webmention" rel="webmention">this endpoint</a>.',
    },
    21: {"link": '<link rel="webmention" href="/test/21/webmention?query=yes">'},
    22: {"link": '<link rel="webmention" href="22/webmention">'},
}
#: The endpoint each test must find (test 23 is added by ``serve_rocks``).
EXPECTED = {n: f"/test/{n}/webmention" for n in ROCKS} | {
    15: "/test/15",
    21: "/test/21/webmention?query=yes",
    23: "/test/23/page/webmention-endpoint/k3fVsQ",
}
PAGES = {n: f"/test/{n}" for n in ROCKS} | {23: "/test/23/page"}


def _page(number: int, link: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>Webmention Rocks! Test #{number}</title>"
        f'<link rel="stylesheet" href="/assets/style.css">{link}</head><body>'
        f'<div class="h-entry"><h3 class="p-name"><a href="/test/{number}">Test #{number}</a>'
        f'</h3><div class="e-content">{body}</div></div></body></html>'
    )


def serve_rocks(server: Server) -> None:
    """Install the 23 test pages and their endpoints (202 for right ones, 400 for /error)."""
    for number, spec in ROCKS.items():
        fill = lambda text: text.replace(B, server.base)  # noqa: E731
        headers = [(name, fill(value)) for name, value in spec.get("headers", [])]
        html = _page(number, fill(spec.get("link", "")), fill(spec.get("body", "")))
        server.routes[f"/test/{number}"] = Reply(200, html, headers)
    # Test 23: the page redirects, and its endpoint is relative to the final URL.
    server.routes["/test/23/page"] = Reply(302, "", [("Location", "/test/23/page/k3fVsQ")])
    server.routes["/test/23/page/k3fVsQ"] = Reply(
        200,
        '<div class="h-entry"><a rel="webmention" href="webmention-endpoint/k3fVsQ">'
        "webmention endpoint</a></div>",
        [("Link", "<webmention-endpoint/k3fVsQ>; rel=webmention")],
    )
    for number, path in EXPECTED.items():
        if number != 15:  # test 15's endpoint is its page, which answers GET already
            server.routes[path] = Reply(202, "accepted", content_type="text/plain")
        server.routes[f"/test/{number}/webmention/error"] = Reply(400, "wrong endpoint")


def _client() -> HttpClient:
    return HttpClient(user_agent="Beancan-test", allow_private=True, timeout=3)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_webmention_rocks_discovery(server: Server, number: int) -> None:
    serve_rocks(server)

    async def run():
        async with _client() as http:
            return await discover(http, server.url(PAGES[number]))

    found = asyncio.run(run())
    assert found.webmention == server.url(EXPECTED[number])


def test_all_23_receive_exactly_one_webmention_at_the_right_endpoint(
    server: Server, settings
) -> None:
    serve_rocks(server)
    source = "https://blog.example/2026/01/rocks/"
    targets = tuple(server.url(PAGES[n]) for n in sorted(EXPECTED))
    report = asyncio.run(
        send_webmentions(settings, [OutgoingSource(source, targets, "h1")], whole_site=False)
    )
    assert report.counts == {"sent": 23}
    posts = [r for r in server.requests if r.method == "POST"]
    assert sorted(r.path for r in posts) == sorted(EXPECTED.values())
    for number in EXPECTED:
        (post,) = [r for r in posts if r.path == EXPECTED[number]]
        # Form-encoded source and target; test 21's query stays in the URL, not the body.
        assert post.headers["content-type"] == "application/x-www-form-urlencoded"
        assert post.form == {"source": [source], "target": [server.url(PAGES[number])]}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("<a>; rel=webmention", [("a", ("webmention",))]),
        ('<a>; rel="webmention other"', [("a", ("webmention", "other"))]),
        (
            '<a,b>; title="x, y; z"; rel=next, <c>; REL="WebMention"',
            [("a,b", ("next",)), ("c", ("webmention",))],
        ),
        ('<a>; rel="one", <b>; rel=two; rel=three', [("a", ("one",)), ("b", ("two",))]),
        ("<a>", [("a", ())]),
        ("garbage", []),
    ],
)
def test_parse_link_header(header: str, expected: list) -> None:
    assert parse_link_header(header) == expected
