"""Each peer's exchanges counted by host give the answer of a scan of every record per peer.

The scan below is how the peers page counted before issue 16 (every record
keyed again for every peer); it stays here as the definition the index is
checked against, on URLs in every form a store or a post may hold.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from beancan.background import Background, can_run_beside
from beancan.model import Author, Interaction
from beancan.peers.config import Peer
from beancan.peers.exchanges import (
    StoreExchanges,
    count_exchanges,
    linking_posts,
    read_exchanges,
)
from beancan.urls import url_key
from tests.sitebuild import ROOT


def _belongs(url: str, base: str) -> bool:
    key = url_key(url)
    return bool(key) and (key == base or key.startswith((base + "/", base + "?")))


def _scan(interactions: list[Interaction], keys: list[str]) -> dict[str, StoreExchanges]:
    visible = [i for i in interactions if i.status == "approved"]
    found = {}
    for base in keys:
        theirs = [
            i
            for i in visible
            if i.direction == "in" and (_belongs(i.source, base) or _belongs(i.author.url, base))
        ]
        ours = {i.source for i in visible if i.direction == "out" and _belongs(i.target, base)}
        avatars = []
        for i in sorted(theirs, key=lambda i: i.sort_date, reverse=True):
            if _belongs(i.author.url, base) and i.avatar and i.avatar not in avatars:
                avatars.append(i.avatar)
        found[base] = StoreExchanges(len(theirs), len(ours), tuple(avatars))
    return found


def _scan_posts(own_links: list[list[str]], keys: list[str]) -> dict[str, int]:
    return {
        base: sum(any(_belongs(u, base) for u in links) for links in own_links) for base in keys
    }


# URLs in the forms that make keys differ or agree: case, www, ports, paths
# that share a prefix (~ann, ~anna), queries, dot segments, fragments, junk.
_scheme = st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "javascript:"])
_host = st.sampled_from([
    "a.example", "A.Example", "www.a.example", "a.example:8080", "a.example:443",
    "b.example", "ab.example", "a.example.org", "xn--bcher-kva.example", "",
])  # fmt: skip
_path = st.sampled_from([
    "", "/", "/~ann", "/~ann/", "/~anna", "/~ann/post", "/~ann?x=1", "/x/./y", "/x/../~ann",
    "/%7Eann", "/p", "/p/q",
])  # fmt: skip
_query = st.sampled_from(["", "?p=1", "?b=2&a=1", "?a=1&b=2", "?", "?utm_source=x"])
_tail = st.sampled_from(["", "#c", "/"])
_url = st.builds(lambda *parts: "".join(parts), _scheme, _host, _path, _query, _tail) | st.text(
    max_size=12
)
_interaction = st.builds(
    lambda source, target, author, status, direction, published, avatar: Interaction(
        source=source,
        target=target,
        author=Author(url=author),
        status=status,
        direction=direction,
        published=published,
        avatar=avatar,
    ),
    _url,
    _url,
    _url,
    st.sampled_from(["approved", "approved", "pending", "spam"]),
    st.sampled_from(["in", "in", "out"]),
    st.sampled_from(["", "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"]),
    st.sampled_from(["", "", "1.png", "2.jpg", "3.gif"]),
)
_peer_keys = st.lists(_url, max_size=6).map(
    lambda urls: list(dict.fromkeys(k for k in map(url_key, urls) if k))
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_interaction, max_size=30), _peer_keys)
def test_the_host_index_gives_the_scans_answer(interactions, keys):
    assert count_exchanges(interactions, keys) == _scan(interactions, keys)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_url, max_size=5), max_size=8), _peer_keys)
def test_posts_linking_a_peer_by_host_give_the_scans_answer(own_links, keys):
    assert linking_posts(own_links, keys) == _scan_posts(own_links, keys)


def _record(source: str, author: str, published: str, avatar: str, **extra) -> Interaction:
    return Interaction(
        source=source,
        target="https://us.example/post/",
        author=Author(url=author),
        status=extra.get("status", "approved"),
        direction=extra.get("direction", "in"),
        published=published,
        avatar=avatar,
    )


def test_a_peer_under_a_path_counts_its_own_pages_only():
    ann = Peer("Ann", "https://host.example/~ann/").key
    at = "https://host.example"
    records = [
        _record(f"{at}/~ann/1", f"{at}/~ann/", "2026-01-01", "old.png"),
        _record("https://www.HOST.example/~ann/2", f"{at}/~ann", "2026-03-01", "new.png"),
        _record(f"{at}/~anna/3", f"{at}/~anna/", "2026-04-01", "x.png"),
        _record(f"{at}/~ann/4", "https://elsewhere.example/", "2026-05-01", "y.png"),
        _record(f"{at}/~ann/5", f"{at}/~ann/", "2026-06-01", "p.png", status="pending"),
        _record("https://us.example/note/", "https://us.example/", "2026-01-02", "",
                direction="out").with_changes(target=f"{at}/~ann/1"),
    ]  # fmt: skip
    # ~anna is another person; a record by someone else on Ann's pages counts but
    # gives no avatar; newest first, so Ann's March photo comes before January's.
    assert count_exchanges(records, [ann]) == {
        ann: StoreExchanges(links_in=3, links_out=1, avatars=("new.png", "old.png"))
    }


def test_the_store_part_is_the_same_read_beside_the_build():
    keys = tuple(Peer("", url).key for url in ("https://rafe.example/", "https://priya.example/"))
    here = Background(read_exchanges, ROOT / "data", keys, enabled=False).result()
    job = Background(read_exchanges, ROOT / "data", keys)
    assert job.in_background == can_run_beside(True)
    assert job.result() == here
    assert here[keys[0]].links_in == 7  # the demo's Rafe (tests/peers/test_build.py)
