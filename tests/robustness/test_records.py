"""Issue 12, finding 1 and per-record loading: what collect writes always loads,
and one unreadable record costs only itself."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beancan.errors import StoreError
from beancan.files import dump_line
from beancan.model import make_interaction
from beancan.store import STORE_FILE, InteractionStore
from tests.robustness.helpers import api_settings, good_entry, post, run_collect

HOSTILE_URL = "https://host.example/people/X%22%3E%3Cscript%3Ealert(%27x%27)%3C/script%3E"
HEADER = '{"beancan": "interactions", "version": 1}'


def test_finding_1_a_url_collect_accepts_is_a_url_the_store_loads(tmp_path, jf2):
    jf2.entries = [
        good_entry(1, **{"wm-source": HOSTILE_URL, "url": HOSTILE_URL}),
        good_entry(2, author={"name": "Q", "url": "https://q.example/%27%22/"}),
        good_entry(3),
    ]
    settings = api_settings(tmp_path, jf2)
    run_collect(settings)
    store = InteractionStore.load(tmp_path)
    assert len(store) == 3
    assert store.skipped == []
    stored = store.get(HOSTILE_URL, post(1))
    assert stored is not None and "'" not in stored.source and "<" not in stored.source


def test_a_host_with_markup_is_refused_at_the_boundary():
    with pytest.raises(ValueError, match="source"):
        make_interaction(source='http://a"b<c>/x', target=post(1))
    made = make_interaction(source="https://ok.example/", target=post(1), url='http://a"b/x')
    assert made.url == ""


_text = st.text(st.characters(codec="utf-8"), max_size=40)
_url = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https", "HTTP", "javascript", "ftp"]),
    st.one_of(st.sampled_from(["a.example", "xn--bcher-kva.example", "[::1]:8080"]), _text),
    _text,
)


@settings(max_examples=300, deadline=None)
@given(source=_url, target=_url, url=_url, photo=_url, reply=_url, name=_text, date=_text)
def test_whatever_make_interaction_accepts_the_loader_accepts(
    tmp_path_factory, source, target, url, photo, reply, name, date
):
    """One definition of a stored record: make_interaction's output always loads."""
    try:
        made = make_interaction(
            source=source, target=target, url=url, in_reply_to=[reply], published=date,
            author={"name": name, "url": url, "photo": photo}, name=name, content_text=name,
        )  # fmt: skip
    except ValueError:
        return
    folder = tmp_path_factory.mktemp("store")
    store = InteractionStore(folder / STORE_FILE)
    store.merge(made)
    store.save()
    loaded = InteractionStore.load(folder)
    assert loaded.skipped == [] and len(loaded) == 1


def _write(tmp_path, *lines: str) -> None:
    (tmp_path / STORE_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


GOOD = [
    dump_line(
        {
            "source": f"https://r{n}.example/",
            "target": post(n),
            "kind": "reply",
            "status": "approved",
        }
    )
    for n in range(3)
]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (
            dump_line({"source": "https://r9.example/", "target": post(1), "colour": "red"}),
            "unknown",
        ),
        (dump_line({"source": "javascript:x", "target": post(1)}), "source"),
        (GOOD[0], "a second record for"),
    ],
)
def test_an_unreadable_record_is_skipped_with_file_and_line(tmp_path, caplog, bad, reason):
    _write(tmp_path, HEADER, GOOD[0], bad, GOOD[1], GOOD[2])
    with caplog.at_level(logging.WARNING):
        store = InteractionStore.load(tmp_path)
    assert len(store) == 3
    assert [line.number for line in store.skipped] == [3]
    assert f"{tmp_path / STORE_FILE}:3: " in caplog.text and reason in caplog.text


def test_a_line_that_is_not_utf8_is_skipped(tmp_path):
    body = "\n".join([HEADER, GOOD[0], GOOD[1]]).encode() + b"\n\xff\xfe{}\n"
    (tmp_path / STORE_FILE).write_bytes(body)
    store = InteractionStore.load(tmp_path)
    assert (len(store), [line.number for line in store.skipped]) == (2, [4])


def test_rewriting_the_store_keeps_a_skipped_line_verbatim(tmp_path):
    _write(tmp_path, HEADER, GOOD[0], "{hand edit gone wrong", GOOD[1])
    store = InteractionStore.load(tmp_path)
    store.merge(make_interaction(source="https://new.example/", target=post(4)))
    store.save()
    text = (tmp_path / STORE_FILE).read_text(encoding="utf-8")
    assert "{hand edit gone wrong\n" in text
    again = InteractionStore.load(tmp_path)
    assert (len(again), len(again.skipped)) == (3, 1)


@pytest.mark.parametrize(
    "header",
    ['{"beancan": "sent", "version": 1}', '{"beancan": "interactions", "version": 9}', "garbage"],
)
def test_an_unreadable_header_still_stops_loading(tmp_path, header):
    _write(tmp_path, header, GOOD[0])
    with pytest.raises(StoreError, match=f"{tmp_path / STORE_FILE}:1: "):
        InteractionStore.load(tmp_path)


def test_a_store_in_another_encoding_stops_loading_and_is_not_overwritten(tmp_path, jf2):
    path = tmp_path / STORE_FILE
    path.write_bytes("\n".join([HEADER, GOOD[0]]).encode("utf-16"))
    before = path.read_bytes()
    jf2.entries = [good_entry(1)]
    with pytest.raises(StoreError, match=str(path)):
        run_collect(api_settings(tmp_path, jf2))
    assert path.read_bytes() == before


def test_a_build_with_one_unreadable_record_renders_every_other_one(tmp_path, demo_build):
    """Finding 1's symptom: one bad line emptied every comment section; now it costs itself."""
    import shutil

    from tests.sitebuild import ROOT, build_site

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    store = data / STORE_FILE
    lines = store.read_text(encoding="utf-8").splitlines()
    bad = dump_line({"source": "https://x.example/a'b", "target": post(1), "kind": "reply"})
    store.write_text("\n".join([*lines[:5], bad, *lines[5:]]) + "\n", encoding="utf-8")

    build = build_site(tmp_path / "output", BEANCAN_DATA_DIR=str(data))
    assert [p for p in build.problems if p.startswith("ERROR")] == []
    assert any(f"{store}:6: source" in p and "record skipped" in p for p in build.problems)
    assert any("1 record(s) skipped" in p for p in build.problems)
    shown = 0
    for page in sorted(demo_build.output.glob("20*/*/*/index.html")):
        relative = page.relative_to(demo_build.output)
        expected = page.read_text(encoding="utf-8").count("p-comment")
        assert build.page(str(relative)).count("p-comment") == expected, relative
        shown += expected
    assert shown > 10


def test_the_store_refuses_to_merge_a_record_its_loader_would_drop(tmp_path):
    from beancan.model import Interaction

    store = InteractionStore(tmp_path / STORE_FILE)
    made = make_interaction(source="https://ok.example/", target=post(1))
    for changes in ({"source": "https://x.example/a'b"}, {"avatar": "../../etc/passwd"},
                    {"published": "yesterday"}):  # fmt: skip
        with pytest.raises(ValueError, match="not a storable record"):
            store.merge(made.with_changes(**changes))
    assert len(store) == 0
    store.merge(made)
    assert isinstance(next(iter(store)), Interaction)
