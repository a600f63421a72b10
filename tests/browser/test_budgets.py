"""Page weight budgets (issue 8), counted from what the browser actually fetched.

An article with 50 comments stays under 120 KB of HTML, CSS and JS together,
and the home page under 60 KB; images are left aside (avatars are small,
local and lazy). 1 KB is 1,000 bytes here: the stricter reading.
"""

from __future__ import annotations

from collections import Counter

import pytest

from beancan.model import make_interaction
from beancan.store import InteractionStore
from tests.browser.browser_support import BuiltSite, build_site, serve_folder, visit

pytestmark = pytest.mark.browser

POST = "/2026/01/why-i-still-keep-a-blog/"
TARGET = "https://tamsin.example" + POST
COMMENTS = 50
#: Resource types that count against a budget: markup, style and script.
COUNTED = ("document", "stylesheet", "script")

SENTENCES = [
    "I found this through a link on a friend's blog, which feels like the whole point.",
    "We ran a small forum for years and the best threads were always the slow ones.",
    "My own blog has eleven readers and I know most of them by name now.",
    "The bit about owning the address rather than the audience really landed for me.",
    "I tried moving my comments to a social network once and lost half of them in a year.",
    "Replying from my own site takes longer, and I think that is a feature, not a bug.",
    "There is something about a dated archive that makes me write more carefully.",
    "Counting likes never told me who was actually listening; replies did.",
]


def synthetic_store(data_dir) -> None:
    """Fifty replies to one post from 25 people: 20 at the top, 30 answering others."""
    store = InteractionStore(data_dir / "interactions.jsonl")
    sources: list[str] = []
    for n in range(COMMENTS):
        person = n % 25
        host = f"reader{person:02d}.example"
        source = f"https://{host}/2026/02/reply-{n:02d}/"
        parent = TARGET if n < 20 else sources[(n * 7) % len(sources)]
        words = [SENTENCES[(n + k) % len(SENTENCES)] for k in range(2 + n % 4)]
        body = f"<p>{' '.join(words[:2])}</p><p>{' '.join(words[2:]) or words[0]}</p>"
        reply = make_interaction(
            source=source, target=TARGET, kind="reply", in_reply_to=[parent],
            author={"name": f"Reader {person:02d} Example", "url": f"https://{host}/"},
            content_html=body, published=f"2026-02-{1 + n % 28:02d}T{n % 24:02d}:15:00+00:00",
            channels=["webmention"], status="approved",
        )  # fmt: skip
        store.merge(reply, seen_at="2026-03-01T00:00:00+00:00")
        sources.append(source)
    store.save()


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory):
    """The demo content built over a store holding only the fifty replies."""
    data_dir = tmp_path_factory.mktemp("busy-data")
    synthetic_store(data_dir)
    folder = tmp_path_factory.mktemp("busy-site")
    with serve_folder(folder) as origin:
        build_site(folder, origin, BEANCAN_DATA_DIR=data_dir)
        yield BuiltSite(folder, origin)


def weight(seen) -> Counter:
    """Bytes of each resource type the browser received."""
    sizes: Counter = Counter()
    for response in seen.responses:
        sizes[response.request.resource_type] += len(response.body())
    return sizes


def budget_report(sizes: Counter) -> str:
    return ", ".join(f"{kind} {size:,} B" for kind, size in sorted(sizes.items()))


def test_article_with_fifty_comments_is_under_120_kb(busy_site, context):
    seen = visit(context, busy_site.url(POST), scroll=True)
    assert seen.status == 200
    assert seen.page.locator("section.comments article.comment").count() == COMMENTS
    assert seen.page.locator("section.comments .thread .thread article.comment").count() == 30
    sizes = weight(seen)
    counted = sum(sizes[kind] for kind in COUNTED)
    assert sizes["document"] > 0 and sizes["stylesheet"] > 0
    assert counted < 120_000, f"{counted:,} B of HTML+CSS+JS: {budget_report(sizes)}"
    print(f"\nbudget: article with {COMMENTS} comments {counted:,} B ({budget_report(sizes)})")


def test_home_page_is_under_60_kb(site, context):
    seen = visit(context, site.url("/"), scroll=True)
    assert seen.status == 200
    sizes = weight(seen)
    counted = sum(sizes[kind] for kind in COUNTED)
    assert sizes["document"] > 0 and sizes["stylesheet"] > 0
    assert counted < 60_000, f"{counted:,} B of HTML+CSS+JS: {budget_report(sizes)}"
    print(f"\nbudget: home page {counted:,} B ({budget_report(sizes)})")
