"""Issue 14 end to end: build, collect from the fake servers, build again; read the page's mf2."""

from __future__ import annotations

import mf2py
import pytest

from beancan.store import InteractionStore
from beancan.urls import url_key
from tests.sitebuild import build_site
from tests.social.fakes import FakeAppView, FakeMastodon
from tests.social.helpers import collect, social_settings
from tests.social.scenario import Conversation, converse

SITEURL = "http://127.0.0.1:8000"
PATH = "2026/05/on-the-line/"
POST = f"{SITEURL}/{PATH}"


def _bridgy_entry(talk: Conversation) -> dict:
    """Ana's reply as Bridgy relays it to a Webmention API (JF2)."""
    ana = talk.mastodon.statuses[talk.m_ids["ana"]]
    return {
        "type": "entry",
        "wm-id": 7001,
        "wm-source": f"https://brid.gy/comment/mastodon/@tamsin/{talk.m_ids['root']}/{ana['id']}",
        "wm-target": POST,
        "wm-property": "in-reply-to",
        "wm-received": "2026-05-03T10:05:00Z",
        "url": ana["url"],
        "published": ana["created_at"],
        "author": {"type": "card", "name": "Ana Ruiz", "url": ana["account"]["url"]},
        "content": {"html": ana["content"], "text": "This is the one about bean cans, right?"},
        "in-reply-to": [talk.copy_mastodon, POST],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site built, collected from both fake servers (and a relay), and built again."""
    mastodon, appview = FakeMastodon(), FakeAppView()
    try:
        talk = converse(mastodon, appview)
        mastodon.jf2 = [_bridgy_entry(talk)]
        root = tmp_path_factory.mktemp("social-site")
        content, data = root / "content", root / "data"
        (content / "posts").mkdir(parents=True)
        (content / "posts" / "on-the-line.md").write_text(
            "Title: On the line\nDate: 2026-05-01 09:00\nSlug: on-the-line\n"
            f"Syndication: {talk.copy_mastodon}, {talk.copy_bluesky}\n\n"
            "Shared on two networks; the replies come home.\n",
            encoding="utf-8",
        )
        rel_me = [talk.profiles["tamsin"], talk.profiles["bsky-tamsin"]]
        overrides = dict(PATH=str(content), BEANCAN_DATA_DIR=str(data), BEANCAN_REL_ME=rel_me)
        build_site(root / "first", **overrides)
        settings = social_settings(
            data, appview, siteurl=SITEURL, rel_me=tuple(rel_me),
            webmention_apis=({"url": mastodon.base + "/api/mentions.jf2"},),
        )  # fmt: skip
        reports = collect(settings)
        assert [r.failed for r in reports] == ["", "", ""]
        build = build_site(root / "output", **overrides)
        yield talk, build, InteractionStore.load(data)
    finally:
        mastodon.close()
        appview.close()


def _entry(build) -> dict:
    parsed = mf2py.parse(doc=build.page(PATH + "index.html"), url=POST)
    return next(i for i in parsed["items"] if "h-entry" in i["type"])


def test_the_post_links_its_copies_as_u_syndication(built):
    talk, build, _ = built
    entry = _entry(build)
    assert entry["properties"]["syndication"] == [talk.copy_mastodon, talk.copy_bluesky]
    assert "Also on" in build.page(PATH + "index.html")


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_threads_are_nested_three_deep_in_mf2(built, network):
    talk, build, _ = built
    chain = (
        [talk.m[n] for n in ("ana", "bob", "cleo", "tamsin")]
        if network == "mastodon"
        else [talk.b[n] for n in ("dana", "eli", "dana2")]
    )
    level = _entry(build)["properties"]["comment"]
    for depth, url in enumerate(chain, start=1):
        found = [c for c in level if c["properties"]["url"] == [url]]
        assert found, f"level {depth}: {url} not among {[c['properties']['url'] for c in level]}"
        level = found[0]["properties"].get("comment", [])
    assert len(chain) >= 3


def test_our_own_reply_on_mastodon_is_marked_as_the_authors(built):
    talk, build, _ = built
    html = build.page(PATH + "index.html")
    own = html.split(f'href="{talk.m["tamsin"]}"', 1)[0].rsplit("<article", 1)[1]
    assert "comment--author" in own


def test_a_bridgy_relayed_duplicate_is_shown_once(built):
    talk, build, store = built
    html = build.page(PATH + "index.html")
    assert html.count(f'href="{talk.m["ana"]}"') == 1
    assert "brid.gy" not in html
    records = [i for i in store if i.permalink == talk.m["ana"]]
    assert [r.channels for r in records] == [("mastodon", "webmention")]


def test_refusing_authors_and_hostile_html_never_reach_the_page(built):
    talk, build, _ = built
    html = build.page(PATH + "index.html")
    for name in ("quiet", "bsky-hidden", "bsky-nobridge"):
        assert talk.profiles[name] not in html
    assert "Only for logged-in eyes" not in html and "Do not carry me" not in html
    assert "alert(" not in html and "javascript:" not in html
    assert 'href="https://ok.example/"' in html


def test_likes_and_reposts_of_both_copies_are_counted(built):
    _, build, store = built
    kinds = [i.kind for i in store.visible() if url_key(i.target) == url_key(POST)]
    assert (kinds.count("like"), kinds.count("repost")) == (5 + 4, 3 + 2)
    entry = _entry(build)
    likes = entry["properties"].get("like", [])
    assert len(likes) == 9


def test_top_level_replies_answer_the_post_not_its_copies(built):
    """Decision: a reply to a copy answers the post itself, so it sits at the top with no
    "in reply to" line pointing at Mastodon or Bluesky; the copies are never parents."""
    talk, build, store = built
    for name in ("ana", "xss"):
        assert store.get(talk.m[name], POST).in_reply_to == (POST,)
    assert store.get(talk.b["dana"], POST).in_reply_to == (POST,)
    html = build.page(PATH + "index.html")
    assert 'class="comment-context"' not in html
