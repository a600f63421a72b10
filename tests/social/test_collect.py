"""Issue 14: collect from the fake Mastodon server and Bluesky AppView into the store."""

from __future__ import annotations

from beancan.store import InteractionStore
from beancan.urls import url_key
from tests.social.helpers import POST, collect, list_post, social_settings


def _store(tmp_path) -> InteractionStore:
    return InteractionStore.load(tmp_path)


def _by_source(store: InteractionStore) -> dict[str, object]:
    return {url_key(i.source): i for i in store}


def test_mastodon_replies_thread_by_in_reply_to_id(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    reports = collect(social_settings(tmp_path, talk.appview))
    assert [r.failed for r in reports] == [""]
    found = _by_source(_store(tmp_path))
    chain = [POST, talk.m["ana"], talk.m["bob"], talk.m["cleo"], talk.m["tamsin"]]
    for parent, child in zip(chain, chain[1:], strict=False):
        assert found[url_key(child)].in_reply_to == (parent,)
        assert found[url_key(child)].target == POST
        assert found[url_key(child)].channels == ("mastodon",)
    assert found[url_key(talk.m["ana"])].author.name == "Ana Ruiz"
    assert found[url_key(talk.m["ana"])].author.url == talk.profiles["ana"]


def test_mastodon_likes_and_reposts_are_counted_across_pages(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    collect(social_settings(tmp_path, talk.appview))
    kinds = [i.kind for i in _store(tmp_path)]
    # Six favourites on three pages of two, one of them by a #nobot account.
    assert kinds.count("like") == 5
    assert kinds.count("repost") == 3
    pages = [r for r in talk.mastodon.requests if "/favourited_by" in r]
    assert len(pages) == 3


def test_bluesky_replies_nest_and_facets_become_links(tmp_path, talk):
    list_post(tmp_path, talk.copy_bluesky)
    collect(social_settings(tmp_path, talk.appview))
    found = _by_source(_store(tmp_path))
    assert found[url_key(talk.b["dana"])].in_reply_to == (POST,)
    assert found[url_key(talk.b["eli"])].in_reply_to == (talk.b["dana"],)
    assert found[url_key(talk.b["dana2"])].in_reply_to == (talk.b["eli"],)
    html = found[url_key(talk.b["dana"])].content_html
    # Byte offsets after "Ç", "🎉" and "—": each link covers exactly its words.
    rel = 'rel="ugc nofollow noopener"'
    assert f'<a href="https://dana.example/notes" {rel}>https://dana.example/notes</a>' in html
    assert f'<a href="https://bsky.app/hashtag/tincans" {rel}>#tincans</a>' in html
    eli = next(d for d, p in talk.appview.profiles.items() if p["handle"] == "eli.example")
    assert f'<a href="https://bsky.app/profile/{eli}" {rel}>@eli.example</a>' in html
    assert html.startswith("<p>Ça marche 🎉 — see ")


def test_bluesky_likes_and_reposts_are_counted_across_pages(tmp_path, talk):
    list_post(tmp_path, talk.copy_bluesky)
    collect(social_settings(tmp_path, talk.appview))
    kinds = [i.kind for i in _store(tmp_path)]
    assert kinds.count("like") == 4  # five likers, one labelled !no-unauthenticated
    assert kinds.count("repost") == 2  # three, one with #nobridge in their bio
    assert len([r for r in talk.appview.requests if "getLikes" in r]) == 3


def test_refusing_authors_are_never_stored(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    collect(social_settings(tmp_path, talk.appview))
    store = _store(tmp_path)
    authors = {i.author.url for i in store}
    for refusing in ("quiet", "bsky-hidden", "bsky-nobridge"):
        assert talk.profiles[refusing] not in authors
    sources = {url_key(i.source) for i in store}
    for reply in (talk.m["nobot"], talk.b["hidden"], talk.b["nobridge"]):
        assert url_key(reply) not in sources


def test_an_author_who_adds_nobot_later_is_removed(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    assert _store(tmp_path).get(talk.m["bob"], POST) is not None
    bob = talk.mastodon.statuses[talk.m_ids["bob"]]["account"]
    bob["note"] = "<p>Changed my mind: #nobot</p>"
    collect(settings)
    store = _store(tmp_path)
    assert store.get(talk.m["bob"], POST) is None
    assert all(i.author.url != talk.profiles["bob"] for i in store)


def test_private_and_direct_replies_are_not_stored(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    collect(social_settings(tmp_path, talk.appview))
    assert url_key(talk.m["direct"]) not in _by_source(_store(tmp_path))


def test_placeholders_are_skipped(tmp_path, talk):
    list_post(tmp_path, talk.copy_bluesky)
    reports = collect(social_settings(tmp_path, talk.appview))
    assert [r.failed for r in reports] == [""]
    replies = sorted(url_key(i.source) for i in _store(tmp_path) if i.kind == "reply")
    assert replies == sorted(url_key(talk.b[n]) for n in ("dana", "eli", "dana2"))


def test_xss_in_mastodon_html_is_sanitized(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    collect(social_settings(tmp_path, talk.appview))
    html = _store(tmp_path).get(talk.m["xss"], POST).content_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<a href="https://ok.example/"' in html


def test_a_deleted_reply_is_gone_after_the_next_collect(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    talk.mastodon.delete(talk.m_ids["tamsin"])
    talk.appview.delete(talk.b_uris["dana2"])
    collect(settings)
    store = _store(tmp_path)
    for gone in (talk.m["tamsin"], talk.b["dana2"]):
        assert store.get(gone, POST).status == "deleted"
        assert store.get(gone, POST).content_html == ""
    visible = {url_key(i.source) for i in store.visible()}
    assert url_key(talk.m["cleo"]) in visible and url_key(talk.b["eli"]) in visible


def test_a_cut_context_deletes_nothing(tmp_path, talk):
    """Without a token Mastodon shows 60 descendants: missing ones may just be cut off."""
    list_post(tmp_path, talk.copy_mastodon)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    crowd = talk.mastodon.account("crowd")
    for i in range(60):
        talk.mastodon.status(crowd, f"<p>Me too #{i}</p>", reply_to=talk.m_ids["root"])
    talk.mastodon.delete(talk.m_ids["cleo"])  # gone, but the cut context cannot prove it
    collect(settings)
    assert _store(tmp_path).get(talk.m["cleo"], POST).status == "approved"


def test_a_token_is_sent_to_its_host_only(tmp_path, talk, monkeypatch):
    monkeypatch.setenv("FAKE_MASTODON_TOKEN", "s3cret")
    host = talk.copy_mastodon.split("/")[2]
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    collect(social_settings(
        tmp_path, talk.appview, mastodon_tokens={host: "env:FAKE_MASTODON_TOKEN"}
    ))  # fmt: skip
    api = [h for p, h in zip(talk.mastodon.requests, talk.mastodon.headers_seen, strict=True)
           if p.startswith("/api/v1/statuses/")]  # fmt: skip
    assert api and all(h.get("authorization") == "Bearer s3cret" for h in api)
    assert all("authorization" not in h for h in talk.appview.headers_seen)


def test_a_failing_server_costs_only_its_own_copies(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    before = {i.key for i in _store(tmp_path)}
    talk.mastodon.close()
    reports = collect(settings)
    assert [bool(r.failed) for r in reports] == [True, False]
    assert {i.key for i in _store(tmp_path)} == before


def test_a_second_collect_with_nothing_new_makes_no_writes(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    files = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert {p.name for p in files} >= {"interactions.jsonl", "social.jsonl"}
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    requests = len(talk.mastodon.requests), len(talk.appview.requests)
    reports = collect(settings)
    assert [(r.new, r.updated, r.deleted, r.failed) for r in reports] == [(0, 0, 0, "")] * 2
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    # The status and its context; the thread: counts unchanged, no like lists.
    assert len(talk.mastodon.requests) - requests[0] == 2
    assert len(talk.appview.requests) - requests[1] == 1


def test_a_new_like_is_read_on_the_next_collect(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    talk.mastodon.favourited[talk.m_ids["root"]].append(talk.mastodon.account("late"))
    reports = collect(settings)
    assert (reports[0].new, reports[0].deleted) == (1, 0)
    assert [i.kind for i in _store(tmp_path)].count("like") == 6


def test_a_withdrawn_like_is_removed(tmp_path, talk):
    list_post(tmp_path, talk.copy_bluesky)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    top = next(u for u in talk.appview.posts if u.endswith("/3kpostroot"))
    talk.appview.likes[top] = talk.appview.likes[top][1:]
    reports = collect(settings)
    assert reports[0].deleted == 1
    assert [i.kind for i in _store(tmp_path).visible()].count("like") == 3


def test_json_nested_too_deep_fails_only_that_copy(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    talk.appview.raw["/xrpc/app.bsky.feed.getPostThread"] = b'{"thread":' * 100_000 + b"1"
    reports = collect(social_settings(tmp_path, talk.appview))
    assert [bool(r.failed) for r in reports] == [False, True]
    assert "did not answer JSON" in reports[1].failed
    assert any(i.channels == ("mastodon",) for i in _store(tmp_path))


def test_an_oversized_thread_fails_only_that_copy(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    talk.appview.raw["/xrpc/app.bsky.feed.getPostThread"] = b" " * 9_000_000
    reports = collect(social_settings(tmp_path, talk.appview))
    assert [bool(r.failed) for r in reports] == [False, True]
    assert "cap" in reports[1].failed


def test_a_copy_no_post_lists_any_more_leaves_the_state_file(tmp_path, talk):
    from beancan.social.copy_state import SocialState

    list_post(tmp_path, talk.copy_mastodon, talk.copy_bluesky)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    assert len(SocialState.load(tmp_path).copies) == 2
    list_post(tmp_path, talk.copy_mastodon)
    collect(settings)
    assert list(SocialState.load(tmp_path).copies) == [talk.copy_mastodon]
    list_post(tmp_path)
    assert collect(settings) == []
    assert SocialState.load(tmp_path).copies == {}
    assert _store(tmp_path).get(talk.m["ana"], POST) is not None  # what was read stays


def test_an_author_who_deletes_their_account_disappears(tmp_path, talk):
    list_post(tmp_path, talk.copy_mastodon)
    settings = social_settings(tmp_path, talk.appview)
    collect(settings)
    bob = talk.profiles["bob"]
    assert any(i.author.url == bob for i in _store(tmp_path).visible())
    # Mastodon deletes the account's statuses (404) and its favourites and boosts.
    for status_id, status in list(talk.mastodon.statuses.items()):
        if status["account"]["url"] == bob:
            talk.mastodon.delete(status_id)
    root = talk.m_ids["root"]
    talk.mastodon.reblogged[root] = [a for a in talk.mastodon.reblogged[root] if a["url"] != bob]
    collect(settings)
    assert not any(i.author.url == bob for i in _store(tmp_path).visible())
    # Cleo answered Bob: her reply stays, still pointing at where his was.
    assert _store(tmp_path).get(talk.m["cleo"], POST).status == "approved"


def test_a_like_relayed_by_bridgy_is_one_like_with_both_channels(tmp_path, talk):
    ana = talk.mastodon.statuses[talk.m_ids["ana"]]["account"]
    talk.mastodon.jf2 = [{
        "type": "entry", "wm-id": 11, "wm-property": "like-of", "wm-target": POST,
        "wm-source": f"https://brid.gy/like/mastodon/@tamsin/{talk.m_ids['root']}/{ana['id']}",
        "url": f"{talk.copy_mastodon}#favorited-by-{ana['id']}",
        "author": {"type": "card", "name": "Ana Ruiz", "url": ana["url"]},
    }]  # fmt: skip
    list_post(tmp_path, talk.copy_mastodon)
    collect(social_settings(
        tmp_path, talk.appview, webmention_apis=({"url": talk.mastodon.base + "/api/mentions.jf2"},)
    ))  # fmt: skip
    likes = [i for i in _store(tmp_path) if i.kind == "like" and i.author.url == ana["url"]]
    assert [i.channels for i in likes] == [("mastodon", "webmention")]
    assert likes[0].source == f"{talk.copy_mastodon}?liked_by={ana['id']}"
