"""People: alias merging (settings and rel=me), the rel=me parser and its cache file."""

from __future__ import annotations

import pytest

from beancan.errors import StoreError
from beancan.graph import PersonRecord, build_graph, read_people, rel_me_links, write_people
from tests.graph.helpers import ME, people, response

SAM = "https://sam.example/"
SAM_SOCIAL = "https://social.example/@samk"
P = "https://me.example/2026/01/p/"


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://social.example/@samk/likes/110871", SAM),
        ("https://social.example/@samk", SAM),
        ("https://SAM.example/notes/1/?utm_source=x", SAM),
        ("https://social.example/@other/1", "https://social.example/"),
        ("https://me.example/2026/01/p/", ME),
        ("https://stranger.example/a/b/", "https://stranger.example/"),
    ],
)
def test_settings_aliases_map_every_address_to_one_home(url, home):
    index = people(aliases={SAM: [SAM_SOCIAL]})
    assert index.home_of(url) == home


def test_alias_merge_gives_one_relationship():
    graph = build_graph(
        [
            response("https://brid.gy/like/1", P, SAM_SOCIAL, "2026-01-02", kind="like"),
            response("https://sam.example/notes/1/", P, SAM, "2026-01-03"),
        ],
        [],
        people(aliases={SAM: [SAM_SOCIAL]}),
    )
    assert [r.person for r in graph.relationships] == [SAM]
    assert graph.by_person[SAM].count_in == 2
    assert graph.people[SAM].aliases == (SAM_SOCIAL,)


def test_rel_me_merges_only_when_confirmed_from_both_sides():
    records = [
        PersonRecord(SAM, (SAM_SOCIAL,)),
        PersonRecord(SAM_SOCIAL, (SAM,)),
        # A one-sided claim: anyone can say they are someone else.
        PersonRecord("https://impostor.example/", ("https://rafe.example/",)),
    ]
    index = people(records=records)
    assert index.home_of("https://social.example/@samk/1") == SAM
    assert index.home_of("https://impostor.example/x") == "https://impostor.example/"
    assert index.home_of("https://rafe.example/x") == "https://rafe.example/"


def test_rel_me_links_are_absolute_canonical_and_unique():
    html = """<html><head><link rel="me" href="https://social.example/@samk"></head><body>
    <a rel="me" href="/about/">about</a> <a rel="me nofollow" href="https://code.example/sam">c</a>
    <a rel="me" href="https://social.example/@samk">again</a>
    <a rel="me" href="javascript:x()">x</a>
    <a rel="me" href="https://sam.example/">self</a> <a href="https://not-me.example/">no</a>
    </body></html>"""
    assert rel_me_links(html, SAM) == [
        "https://social.example/@samk",
        "https://sam.example/about/",
        "https://code.example/sam",
    ]


def test_people_file_round_trips_sorted(tmp_path):
    write_people(
        tmp_path,
        [
            PersonRecord(SAM_SOCIAL, (SAM,), fetched="2026-01-01T00:00:00+00:00"),
            PersonRecord(SAM, (SAM_SOCIAL,), name="Sam"),
        ],  # fmt: skip
    )
    lines = (tmp_path / "people.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"beancan": "people", "version": 1}'
    assert [r.url for r in read_people(tmp_path)] == [SAM, SAM_SOCIAL]
    assert read_people(tmp_path)[0].name == "Sam"


def test_a_bad_people_file_names_the_line(tmp_path):
    (tmp_path / "people.jsonl").write_text(
        '{"beancan": "people", "version": 1}\n{"url": "https://a.example/", "rel_me": "x"}\n',
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"people\.jsonl:2"):
        read_people(tmp_path)


def test_no_people_file_is_no_records(tmp_path):
    assert read_people(tmp_path) == []
