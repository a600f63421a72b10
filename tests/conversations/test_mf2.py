"""Issue 13: the conversations pages in microformats2, read by an independent parser (mf2py).

People are h-cards (on ``/conversations/`` and their own pages); every step
of a conversation is an h-cite with ``p-author h-card``, ``u-url``,
``dt-published`` and, for a step that answers others, ``u-in-reply-to``.
"""

from __future__ import annotations

from collections.abc import Iterator

import mf2py

from tests.conversations.test_build import RAFE_CHAIN, SITEURL


def _items(demo, path: str) -> list[dict]:
    parsed = mf2py.parse(doc=demo.page(path + "index.html"), url=f"{SITEURL}/{path}")
    return list(_walk(parsed["items"]))


def _walk(items: list) -> Iterator[dict]:
    """Every item, at the top, among children and as property values, depth first."""
    for item in items:
        if not isinstance(item, dict) or "type" not in item:
            continue
        yield item
        yield from _walk(item.get("children", []))
        for values in item.get("properties", {}).values():
            yield from _walk(values)


def _cards(items: list[dict]) -> dict[str, list[str]]:
    """h-card name → its URLs."""
    return {
        c["properties"]["name"][0]: c["properties"].get("url", [])
        for c in items
        if "h-card" in c["type"] and c["properties"].get("name")
    }


def _absolute(link: str) -> str:
    return link if "://" in link else SITEURL + link


def test_conversations_page_lists_everyone_as_an_h_card(demo):
    cards = _cards(_items(demo, "conversations/"))
    assert "https://rafe.example/" in cards["Rafe Okonkwo"]
    assert "https://hollis.example/" in cards["Hollis Grey"]
    assert "https://sam.example/" in cards["Sam Kowalczyk"]


def test_person_page_has_the_persons_h_card(demo):
    cards = _cards(_items(demo, "conversations/rafe-example/"))
    assert "https://rafe.example/" in cards["Rafe Okonkwo"]


def test_conversation_steps_are_h_cites_with_author_url_date_and_in_reply_to(demo):
    pages = sorted(demo.output.glob("conversations/c/*/index.html"))
    path = next(
        str(p.parent.relative_to(demo.output)) + "/"
        for p in pages
        if RAFE_CHAIN[0] in p.read_text(encoding="utf-8")
    )
    steps = [i for i in _items(demo, path) if "h-cite" in i["type"]]
    urls = [s["properties"]["url"][0] for s in steps]
    chain = [_absolute(link) for link in RAFE_CHAIN]
    assert [u for u in urls if u in chain] == chain
    by_url = dict(zip(urls, steps, strict=True))
    for earlier, later in zip(chain, chain[1:], strict=False):
        step = by_url[later]["properties"]
        assert earlier in step["in-reply-to"], f"{later} does not answer {earlier}"
    for url in chain:
        step = by_url[url]["properties"]
        author = step["author"][0]
        assert "h-card" in author["type"]
        rafe = "rafe.example" in url
        assert author["properties"]["name"] == ["Rafe Okonkwo" if rafe else "Tamsin Hale"]
        assert author["properties"]["url"] == (
            ["https://rafe.example/"] if rafe else ["https://tamsin.example/"]
        )
    # The replies come from the store with their dates; the post that opened
    # the conversation may be known by its link alone.
    assert all(by_url[url]["properties"]["published"][0][:7] == "2026-03" for url in chain[1:])
    assert "in-reply-to" not in by_url[chain[0]]["properties"]


def test_recent_conversations_on_the_conversations_page_are_h_cites_too(demo):
    steps = [i for i in _items(demo, "conversations/") if "h-cite" in i["type"]]
    assert steps
    assert all("h-card" in s["properties"]["author"][0]["type"] for s in steps)
    assert all(s["properties"]["url"] for s in steps)
    dated = [s for s in steps if "published" in s["properties"]]
    assert len(dated) == demo.page("conversations/index.html").count('class="dt-published"')
