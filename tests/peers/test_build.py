"""The demo site's peers page, blogroll.opml and neighbourhood list, built offline from data/."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from beancan.peers.plugin import person_slug
from beancan.settings import load_settings_file
from beancan.store import STORE_FILE
from tests.sitebuild import ROOT, build_site

SITEURL = "http://127.0.0.1:8000"


def _peers() -> list[dict[str, str]]:
    return list(load_settings_file(ROOT / "pelicanconf.py")["BEANCAN_PEERS"])


def _cards(demo_build) -> dict:
    page = BeautifulSoup(demo_build.page("peers/index.html"), "html.parser")
    return {card["id"]: card for card in page.select("main li.bc-peer")}


def test_demo_peers_are_real_and_hollis_is_not_one():
    hosts = [p["url"] for p in _peers()]
    assert hosts == [
        "https://rafe.example/", "https://priya.example/", "https://odile.example/",
        "https://sam.example/", "https://mara.example/",
    ]  # fmt: skip
    assert _peers()[0]["name"] == "Counter Talk"


def test_peers_page_shows_every_peer_with_avatar_posts_and_exchanges(demo_build):
    cards = _cards(demo_build)
    assert sorted(cards) == sorted(f"peer-{person_slug(p['url'])}" for p in _peers())
    rafe = cards["peer-rafe-example"]
    assert rafe.select(".p-name")[0].get_text() == "Counter Talk"
    assert rafe.select(".p-name")[0].get("href") == "https://rafe.example/"
    assert [a.get_text() for a in rafe.select(".bc-peer-posts .p-name")] == [
        "Pin up the rota", "Jasmine tea and a complaint", "Good days and bad days",
    ]  # fmt: skip
    meta = " ".join(rafe.select(".meta")[0].get_text().split())
    # 7 responses from rafe.example in data/interactions.jsonl (the 7th: his blog reply
    # to "Replies from elsewhere", issue 14's demo post); 3 of our notes link Rafe.
    assert meta.startswith("Last wrote 2 July 2026 · 7 from them, 3 from us · our conversations")
    person = rafe.select('a[href$="/conversations/rafe-example/"]')[0].get("href")
    assert person == f"{SITEURL}/conversations/rafe-example/"
    assert (demo_build.output / "conversations/rafe-example/index.html").is_file()
    for card in cards.values():
        src = card.select("img.u-photo")[0].get("src")
        assert src.startswith(f"{SITEURL}/avatars/")
        assert (demo_build.output / src.removeprefix(SITEURL + "/")).is_file()
        assert len(card.select(".bc-peer-posts .h-cite")) <= 3


def test_a_peer_gone_for_the_configured_runs_is_marked(demo_build):
    cards = _cards(demo_build)
    gone = [card_id for card_id, card in cards.items() if "bc-peer--gone" in card["class"]]
    assert gone == ["peer-mara-example"]
    note = cards["peer-mara-example"].select(".bc-peer-gone")[0].get_text()
    assert note == (
        "Gone quiet: their feed has not answered since 1 March 2026: feed gone (HTTP 410)."
    )


def test_blogroll_is_valid_opml_2_with_every_peer(demo_build):
    root = etree.fromstring((demo_build.output / "blogroll.opml").read_bytes())
    assert (root.tag, root.get("version")) == ("opml", "2.0")
    assert root.findtext("head/title") == "Tin Can Telephone: blogroll"
    outlines = {o.get("htmlUrl"): o for o in root.iterfind("body/outline")}
    assert sorted(outlines) == sorted(p["url"] for p in _peers())
    rafe = outlines["https://rafe.example/"]
    assert (rafe.get("type"), rafe.get("text"), rafe.get("xmlUrl")) == (
        "rss", "Counter Talk", "https://rafe.example/feed/"
    )  # fmt: skip
    # Odile's feed was discovered from her home page and remembered in data/peers.jsonl.
    assert outlines["https://odile.example/"].get("xmlUrl") == "https://odile.example/index.xml"
    for outline in outlines.values():
        assert outline.get("text") and outline.get("xmlUrl").startswith("https://")


def test_home_page_shows_the_neighbourhood(demo_build):
    page = BeautifulSoup(demo_build.page("index.html"), "html.parser")
    (section,) = page.select("section.bc-neighbourhood")
    titles = [a.get_text() for a in section.select(".h-cite > a.p-name")]
    assert titles == [
        "Feed readers are back", "Un été sans écran", "Strings, not numbers",
        "Pin up the rota", "Notes from a Bristol meetup", "La patience",
    ]  # fmt: skip
    assert '<a href="http://127.0.0.1:8000/peers/">Peers</a>' in demo_build.page("index.html")


def test_build_has_no_peer_problems_and_is_reproducible(demo_build, tmp_path):
    assert [p for p in demo_build.problems if "peer" in p.lower()] == []
    again = build_site(tmp_path / "output")
    for name in ("blogroll.opml", "peers/index.html"):
        assert (again.output / name).read_bytes() == (demo_build.output / name).read_bytes()


@pytest.mark.parametrize("beside", [False, True], ids=["in the build", "beside it"])
def test_a_store_that_cannot_be_read_costs_only_the_peers_page(tmp_path, beside):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    store = data / STORE_FILE
    store.write_bytes(b'{"beancan": "not-interactions", "version": 1}\n')
    build = build_site(
        tmp_path / "output", BEANCAN_DATA_DIR=str(data), BEANCAN_BACKGROUND_MIN_STORE=0,
        BEANCAN_BACKGROUND=beside,
    )  # fmt: skip
    peers = [p for p in build.problems if p.startswith("ERROR beancan.peers")]
    assert len(peers) == 1 and str(store) in peers[0]
    assert peers[0].endswith("the peers page and blogroll are not written until it is fixed")
    assert not (build.output / "peers/index.html").exists()
    assert not (build.output / "blogroll.opml").exists()
    assert "Re: Odile on patience" in build.page("index.html")  # every other page is built
    assert "bc-neighbourhood" not in build.page("index.html")


def test_a_posts_static_links_resolve_with_the_peers_page_on(tmp_path):
    """The peers page counts our links to peers: reading a post's content before
    Pelican has read the static files left its {static} links unresolved for good."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "posts" / "static-link.md").write_text(
        "Title: A picture\nDate: 2026-03-05 10:00\nSlug: a-picture\n\n"
        "![The author]({static}/images/tamsin.svg) and [Rafe](https://rafe.example/x/).\n",
        encoding="utf-8",
    )
    built = build_site(tmp_path / "output", PATH=str(content))
    assert built.problems == []
    page = built.page("2026/03/a-picture/index.html")
    assert f'src="{SITEURL}/images/tamsin.svg"' in page
    assert "{static}" not in page
    rafe = BeautifulSoup(built.page("peers/index.html"), "html.parser").select_one(
        "#peer-rafe-example"
    )
    demo = BeautifulSoup(build_site(tmp_path / "demo").page("peers/index.html"), "html.parser")
    before = demo.select_one("#peer-rafe-example")
    assert _links_out(rafe) == _links_out(before) + 1


def _links_out(card) -> int:
    """The "N from us" a peer's card shows."""
    import re

    found = re.search(r"(\d+) from us", card.get_text(" ", strip=True))
    assert found, card
    return int(found.group(1))
