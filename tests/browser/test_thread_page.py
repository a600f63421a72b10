"""The article with the deep cross-blog thread, as a reader sees it in Chromium.

/2026/03/the-smile-is-free/ holds a five-level exchange between Rafe's blog
and this one (his note, the author's reply note, his answer, ...), plus the
likes, reposts and bookmarks recorded in data/interactions.jsonl.
"""

from __future__ import annotations

import pytest

from beancan.store import InteractionStore
from beancan.urls import url_key
from tests.browser.browser_support import DESKTOP, PHONE, ROOT, visit

pytestmark = pytest.mark.browser

POST = "/2026/03/the-smile-is-free/"
AUTHOR_URL = "https://tamsin.example"
#: The thread top to bottom: (whose, the comment's permalink; "/..." is a note of ours).
CHAIN = [
    ("Rafe Okonkwo", "https://rafe.example/notes/2026/03/17/wall/"),
    ("Tamsin Hale", "/2026/03/re-the-wall-behind-the-counter/"),
    ("Rafe Okonkwo", "https://rafe.example/notes/2026/03/20/good-days/"),
    ("Tamsin Hale", "/2026/03/re-good-days-and-bad-days/"),
    ("Rafe Okonkwo", "https://rafe.example/notes/2026/03/22/thread/"),
]
OWN_NOTES_IN_THREAD = [url for who, url in CHAIN if url.startswith("/")]


def stored(kind: str, targets: list[str]) -> list:
    """Approved records of ``kind`` in data/ whose target is one of ``targets``."""
    keys = {url_key(AUTHOR_URL + path) for path in targets}
    store = InteractionStore.load(ROOT / "data")
    return [i for i in store.visible() if i.kind == kind and url_key(i.target) in keys]


def comment_at(scope, permalink: str):
    """The comment whose own link (its u-url) is ``permalink``."""
    return scope.locator(f'article.comment:has(> .comment-meta a.u-url[href="{permalink}"])')


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_level_of_the_thread_is_visible_and_nested_further_right(site, new_context, viewport):
    page = visit(new_context(viewport=viewport), site.url(POST)).page
    parent = page.locator("section.comments > ol.thread")
    parent_box = None
    for level, (who, link) in enumerate(CHAIN, start=1):
        permalink = site.url(link) if link.startswith("/") else link
        # Each level is looked up inside the one before: nested in the markup too.
        comment = comment_at(parent, permalink)
        assert comment.count() == 1, f"level {level} ({permalink}) is not under level {level - 1}"
        comment.scroll_into_view_if_needed()
        assert comment.is_visible(), f"level {level} is hidden"
        assert comment.locator("> .comment-meta .comment-author").inner_text() == who
        assert comment.locator("> .comment-content").inner_text().strip(), f"level {level} empty"
        box = comment.bounding_box()
        if parent_box is not None:
            assert box["x"] > parent_box["x"] + 4, (
                f"level {level} starts at x={box['x']}, not right of its parent at "
                f"x={parent_box['x']}"
            )
        assert box["x"] + box["width"] <= viewport["width"] + 0.5, f"level {level} overflows"
        parent, parent_box = comment, box
    assert parent.locator("article.comment").count() == 0, "the fifth level has no replies"


def test_facepiles_show_every_like_repost_and_bookmark_from_the_data_file(site, context):
    page = visit(context, site.url(POST), scroll=True).page
    for kind, label in (("like", "Liked by"), ("repost", "Reposted by"),
                        ("bookmark", "Bookmarked by")):  # fmt: skip
        expected = sorted(i.author.name for i in stored(kind, [POST]))
        pile = page.locator(f"ul.facepile-{kind}")
        assert pile.get_attribute("aria-label") == label
        images = pile.locator("img.u-photo")
        assert sorted(images.evaluate_all("imgs => imgs.map(i => i.alt)")) == expected
        for index in range(images.count()):
            image = images.nth(index)
            assert image.is_visible()
            loaded = image.evaluate("i => i.complete && i.naturalWidth > 0")
            assert loaded, f"{kind} avatar {index} did not load"
            assert image.get_attribute("src").startswith(site.origin + "/")
    assert [len(stored(k, [POST])) for k in ("like", "repost", "bookmark")] == [8, 3, 2]


def test_counts_match_the_data_file_and_the_comments_shown(site, context):
    page = visit(context, site.url(POST)).page
    counts = page.locator("ul.comment-counts")
    shown = {k: counts.locator(f"li.count-{k} strong").inner_text() for k in
             ("reply", "like", "repost", "bookmark")}  # fmt: skip
    # Replies: those stored for the post or for our notes in its thread, plus those notes.
    replies = len(stored("reply", [POST, *OWN_NOTES_IN_THREAD])) + len(OWN_NOTES_IN_THREAD)
    assert shown == {
        "reply": str(replies),
        "like": str(len(stored("like", [POST]))),
        "repost": str(len(stored("repost", [POST]))),
        "bookmark": str(len(stored("bookmark", [POST]))),
    }
    assert page.locator("section.comments article.comment").count() == replies
    assert counts.locator("li.count-like").inner_text() == f"{shown['like']} likes"


def test_reply_form_posts_to_the_receiver_and_the_reader_sees_the_result(site, receiver, context):
    page = visit(context, site.url(POST)).page
    form = page.locator(".reply-box form")
    assert form.get_attribute("action") == receiver["endpoint"]
    assert form.locator('input[name="target"]').get_attribute("value") == site.url(POST)
    source = "https://reader.example/2026/03/a-reply-to-the-smile/"
    page.get_by_label("The address of your reply").fill(source)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send").click()
    response = navigation.value
    assert response.status == 202
    assert page.url == receiver["endpoint"]
    heading = page.locator("h1")
    assert heading.is_visible()
    assert "received" in heading.inner_text().lower()
    assert source in page.locator("body").inner_text()
    if receiver["kind"] == "stand-in":
        assert receiver["app"].state.received == [(source, site.url(POST))]


def test_reply_form_refuses_what_is_not_a_web_address_before_sending(site, context):
    page = visit(context, site.url(POST)).page
    page.get_by_label("The address of your reply").fill("not a web address")
    page.get_by_role("button", name="Send").click()
    # type=url: the browser keeps the reader on the page and says why.
    assert page.url == site.url(POST)
    message = page.locator("#reply-source").evaluate("i => i.validationMessage")
    assert message
