"""End to end: the demo site built by a real Pelican run, read back from its output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
SITEURL = "http://127.0.0.1:8000"
RAFE_CHAIN = [
    "https://rafe.example/2026/03/service-costs-nothing/",
    "/2026/03/the-smile-is-free/",
    "https://rafe.example/notes/2026/03/17/wall/",
    "/2026/03/re-the-wall-behind-the-counter/",
    "https://rafe.example/notes/2026/03/20/good-days/",
    "/2026/03/re-good-days-and-bad-days/",
    "https://rafe.example/notes/2026/03/22/thread/",
]


def graph_svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg\b.*?</svg>", html, re.S).group(0))


def relationship_row(html: str, name: str) -> str:
    rows = re.findall(r"<tr class=\"bc-row[^\"]*\">.*?</tr>", html, re.S)
    return next(row for row in rows if f">{name}</a>" in row)


def conversation_cards(html: str) -> list[str]:
    return re.findall(r'<article class="bc-conversation".*?</article>', html, re.S)


def test_the_build_logs_no_warnings(demo):
    assert demo.problems == []


def test_the_rafe_exchange_is_one_conversation_across_two_blogs(demo):
    pages = [
        p.read_text(encoding="utf-8") for p in demo.output.glob("conversations/c/*/index.html")
    ]
    cards = [c for page in pages for c in conversation_cards(page) if RAFE_CHAIN[0] in c]
    assert len(cards) == 1
    # Rafe's page lists it, linking its page.
    conversation_id = re.search(r'id="(c-[0-9a-f]+)"', cards[0]).group(1)
    person = demo.page("conversations/rafe-example/index.html")
    assert f"{SITEURL}/conversations/c/{conversation_id}/" in person
    links = re.findall(r'<p class="bc-step-text"><a href="([^"]+)"', cards[0])
    chain = [link for link in links if "rafe.example" in link or link.startswith(SITEURL)]
    assert [link.removeprefix(SITEURL) for link in chain] == RAFE_CHAIN
    hosts = {re.sub(r"https?://([^/]+)/.*", r"\1", link) for link in chain}
    assert hosts == {"rafe.example", "127.0.0.1:8000"}
    # Each step answers the one before it: a chain, not a pile of replies.
    answers = re.findall(r"answering step (\d+)", cards[0])
    assert len(answers) >= 5


def test_rafe_is_mutual_and_hollis_one_way(demo):
    page = demo.page("conversations/index.html")
    assert "bc-mutual" in relationship_row(page, "Rafe Okonkwo")
    assert ">mutual<" in relationship_row(page, "Rafe Okonkwo")
    hollis = relationship_row(page, "Hollis Grey")
    assert "one-way, to us" in hollis
    assert re.search(r"<td>5</td>\s*<td>0</td>", hollis)


def test_sams_mastodon_alias_is_merged_into_one_person(demo):
    page = demo.page("conversations/index.html")
    rows = re.findall(r"<tr class=\"bc-row[^\"]*\">.*?</tr>", page, re.S)
    assert sum(">Sam Kowalczyk</a>" in row for row in rows) == 1
    assert not (demo.output / "conversations/social-example-samk").exists()
    row = relationship_row(page, "Sam Kowalczyk")
    # 3 likes and 2 reposts via Bridgy, a bookmark and a reply from sam.example,
    # and (issue 14) a like and two replies read from the Mastodon copy of
    # "Replies from elsewhere": one person across all of them.
    assert re.search(r"<td>10</td>\s*<td>1</td>", row)
    person = demo.page("conversations/sam-example/index.html")
    assert "https://social.example/@samk" in person


def test_the_graph_is_valid_titled_and_every_node_links_to_a_person_page(demo):
    page = demo.page("conversations/index.html")
    svg = graph_svg(page)
    assert svg.find(f"{SVG}title").text
    assert svg.find(f"{SVG}desc").text
    links = [unescape(a.get("href")) for a in svg.iter(f"{SVG}a")]
    # our author and eleven people (issue 14's demo post brought Jun Ito from
    # Mastodon and Noor Haddad from Bluesky).
    assert len(links) == 12
    for link in links[1:]:
        path = link.removeprefix(SITEURL + "/")
        assert path.startswith("conversations/")
        assert (demo.output / path / "index.html").is_file(), link


def test_person_pages_have_an_h_card_and_a_chart(demo):
    page = demo.page("conversations/rafe-example/index.html")
    assert 'class="h-card profile"' in page
    assert 'class="p-name u-url u-uid" href="https://rafe.example/"' in page
    chart = ET.fromstring(re.search(r'<svg[^>]*class="bc-chart".*?</svg>', page, re.S).group(0))
    assert "Rafe Okonkwo" in chart.find(f"{SVG}title").text


def test_the_feed_lists_conversations(demo):
    feed = ET.fromstring(demo.page("feeds/conversations.atom.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{atom}title").text for e in feed.iter(f"{atom}entry")]
    assert any("Rafe Okonkwo" in t for t in titles)


def test_the_menu_links_the_conversations_page(demo):
    assert f'href="{SITEURL}/conversations/"' in demo.page("index.html")


def test_two_builds_give_byte_identical_conversations_pages(builds):
    first, second = builds
    files = sorted(
        p.relative_to(first.output)
        for p in (
            *first.output.glob("conversations/**/*"),
            first.output / "feeds/conversations.atom.xml",
        )
        if p.is_file()
    )
    assert len(files) > 5
    for name in files:
        assert (first.output / name).read_bytes() == (second.output / Path(name)).read_bytes(), name
