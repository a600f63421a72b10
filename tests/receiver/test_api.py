"""GET /api/mentions.jf2: webmention.io's parameters, revisions as wm-id, deletions."""

from __future__ import annotations

from tests.receiver.conftest import POST, SITE, Page, mentions, send, wait_done

OTHER = f"{SITE}/2026/02/another-post/"


def _verified(client, source_site, path: str, target: str = POST) -> str:
    source = source_site.reply(path, target=target)
    assert wait_done(client, send(client, source, target).headers["location"])["status"] == (
        "verified"
    )
    return source


def test_filters_by_target_and_domain_and_pages_newest_first(receiver, source_site):
    client = receiver()
    a = _verified(client, source_site, "/a")
    b = _verified(client, source_site, "/b", OTHER)
    c = _verified(client, source_site, "/c")
    assert [m["wm-source"] for m in mentions(client)] == [c, b, a]
    assert [m["wm-source"] for m in mentions(client, target=POST)] == [c, a]
    # Any form of our URL names the same target.
    assert [
        m["wm-source"]
        for m in mentions(client, target="http://www.site.example/2026/02/another-post")
    ] == [b]
    assert [m["wm-source"] for m in mentions(client, domain="site.example")] == [c, b, a]
    assert mentions(client, domain="other.example") == []
    assert [m["wm-source"] for m in mentions(client, **{"per-page": "2", "page": "1"})] == [a]
    assert [m["wm-source"] for m in mentions(client, **{"sort-dir": "up"})] == [a, b, c]


def test_since_id_returns_only_later_revisions_including_updates(receiver, source_site):
    client = receiver()
    a = _verified(client, source_site, "/a")
    _verified(client, source_site, "/b")
    cursor = max(m["wm-id"] for m in mentions(client))
    assert mentions(client, since_id=str(cursor)) == []
    source_site.reply("/a", text="edited")
    wait_done(client, send(client, a).headers["location"])
    [update] = mentions(client, since_id=str(cursor))
    assert (update["wm-source"], update["content"]["text"]) == (a, "edited")
    source_site.pages["/a"] = Page(410, "")
    wait_done(client, send(client, a).headers["location"])
    assert mentions(client, since_id=str(update["wm-id"])) == []
    [deletion] = mentions(client, since_id=str(update["wm-id"]), token="secret")
    assert deletion == {
        "type": "entry", "wm-id": update["wm-id"] + 1, "wm-source": a, "wm-target": POST,
        "wm-protocol": "webmention", "wm-received": deletion["wm-received"], "wm-deleted": True,
    }  # fmt: skip


def test_a_wrong_token_is_403_and_bad_parameters_are_400(receiver):
    client = receiver()
    assert client.get("/api/mentions.jf2", params={"token": "guess"}).status_code == 403
    response = client.get("/api/mentions.jf2", params={"since_id": "-1"})
    assert response.status_code == 400
    assert response.json() == {"error": "The parameter since_id '-1' is not a whole number."}
    assert client.get("/api/mentions.jf2", params={"per-page": "0"}).status_code == 400


def test_the_feed_is_jf2(receiver):
    body = receiver().get("/api/mentions.jf2").json()
    assert body == {"type": "feed", "name": "Webmentions", "children": []}
