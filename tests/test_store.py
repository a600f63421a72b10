"""The store: dedupe, updates, deletions, moderation decisions, and its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from beancan.errors import StoreError
from beancan.files import dump_line
from beancan.model import interactions_from_lines, make_interaction
from beancan.store import STORE_FILE, InteractionStore

POST = "https://tamsin.example/2026/03/the-smile-is-free/"
REPLY = "https://rafe.example/notes/2026/03/17/wall/"


def reply(**changes):
    values = dict(
        source=REPLY, target=POST, kind="reply", in_reply_to=[POST],
        author={"name": "Rafe", "url": "https://rafe.example/"},
        content_html="<p>First version</p>", published="2026-03-17T08:00:00+00:00",
        channels=["webmention"], status="approved",
    )  # fmt: skip
    values.update(changes)
    return make_interaction(**values)


@pytest.fixture
def store(tmp_path):
    return InteractionStore.load(tmp_path)


def test_same_source_from_two_channels_is_one_interaction(store):
    assert store.merge(reply(), "2026-03-17T09:00:00+00:00").outcome == "new"
    result = store.merge(
        reply(source="HTTP://RAFE.EXAMPLE:80/notes/2026/03/17/wall", channels=["feed"]),
        "2026-03-18T09:00:00+00:00",
    )
    assert len(store) == 1
    assert result.interaction.channels == ("feed", "webmention")
    assert result.interaction.first_seen == "2026-03-17T09:00:00+00:00"
    assert result.interaction.last_seen == "2026-03-18T09:00:00+00:00"


def test_target_in_another_form_is_the_same_record(store):
    store.merge(reply())
    store.merge(reply(target="http://tamsin.example/2026/03/the-smile-is-free?utm_source=x"))
    assert len(store) == 1


def test_newer_version_replaces_content(store):
    store.merge(reply(updated="2026-03-17T08:00:00+00:00"))
    result = store.merge(reply(content_html="<p>Edited</p>", updated="2026-03-18T08:00:00+00:00"))
    assert result.outcome == "updated"
    assert store.get(REPLY, POST).content_text == "Edited"


def test_older_copy_never_overwrites_newer(store):
    store.merge(reply(content_html="<p>Edited</p>", updated="2026-03-18T08:00:00+00:00"))
    result = store.merge(reply(updated="2026-03-17T08:00:00+00:00"))
    assert result.outcome == "unchanged"
    assert store.get(REPLY, POST).content_text == "Edited"


def test_without_updated_the_later_fetch_wins(store):
    store.merge(reply(), "2026-03-17T09:00:00+00:00")
    store.merge(reply(content_html="<p>Seen later</p>"), "2026-03-19T09:00:00+00:00")
    assert store.get(REPLY, POST).content_text == "Seen later"


def test_deleted_source_stays_deleted_against_older_copies(store):
    store.merge(reply(), "2026-03-17T09:00:00+00:00")
    store.delete_source(REPLY, "2026-03-20T00:00:00+00:00")
    tomb = store.get(REPLY, POST)
    assert tomb.status == "deleted" and tomb.content_html == ""
    assert list(store.visible()) == []
    assert store.merge(reply(), "2026-03-19T00:00:00+00:00").outcome == "ignored"
    assert store.get(REPLY, POST).status == "deleted"


def test_source_seen_again_after_deletion_comes_back_for_moderation(store):
    store.merge(reply(), "2026-03-17T09:00:00+00:00")
    store.delete_source(REPLY, "2026-03-20T00:00:00+00:00")
    result = store.merge(reply(status="pending"), "2026-03-21T00:00:00+00:00")
    assert result.interaction.status == "pending"
    assert result.interaction.content_text == "First version"


@pytest.mark.parametrize(("before", "incoming", "after"), [
    ("spam", "approved", "spam"),
    ("pending", "approved", "approved"),
    ("approved", "pending", "approved"),
    ("pending", "pending", "pending"),
])  # fmt: skip
def test_moderation_decisions_stick(store, before, incoming, after):
    store.merge(reply(status=before))
    store.merge(reply(status=incoming, content_html="<p>again</p>"))
    assert store.get(REPLY, POST).status == after


def test_bridgy_relay_keeps_original_url_and_author(store):
    relayed = make_interaction(
        source="https://brid.gy/like/mastodon/@tamsin/1/samk",
        url="https://social.example/@samk/likes/1",
        target=POST,
        kind="like",
        author={"name": "Sam", "url": "https://social.example/@samk"},
    )
    store.merge(relayed)
    saved = store.get("https://brid.gy/like/mastodon/@tamsin/1/samk", POST)
    assert saved.permalink == "https://social.example/@samk/likes/1"
    assert saved.author.url == "https://social.example/@samk"


def test_save_and_load_round_trip_sorted_and_stable(tmp_path, store):
    store.merge(reply(source="https://b.example/2"), "2026-03-17T09:00:00+00:00")
    store.merge(reply(source="https://a.example/1"), "2026-03-17T09:00:00+00:00")
    store.save()
    first = (tmp_path / STORE_FILE).read_bytes()
    lines = first.decode().splitlines()
    assert lines[0] == '{"beancan": "interactions", "version": 1}'
    assert [line.split('"source": "')[1][:20] for line in lines[1:]] == [
        'https://a.example/1"',
        'https://b.example/2"',
    ]
    again = InteractionStore.load(tmp_path)
    again.save()
    assert (tmp_path / STORE_FILE).read_bytes() == first
    assert list(again) == list(InteractionStore.load(tmp_path))


def _write(tmp_path, *lines):
    (tmp_path / STORE_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


HEADER = '{"beancan": "interactions", "version": 1}'
GOOD = dump_line({"source": REPLY, "target": POST, "kind": "reply", "status": "approved"})


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (('{"beancan": "sent", "version": 1}', GOOD), ":1: not a Beancan interactions file"),
        (('{"beancan": "interactions", "version": 9}', GOOD), ":1: interactions format version 9"),
    ],
)
def test_unreadable_store_names_file_and_line(tmp_path, lines, message):
    _write(tmp_path, *lines)
    with pytest.raises(StoreError) as error:
        InteractionStore.load(tmp_path)
    assert f"{tmp_path / STORE_FILE}{message}" in str(error.value)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((HEADER, GOOD, "{not json"), ":3: invalid JSON: object keys must be strings"),
        ((HEADER, GOOD, GOOD), ":3: a second record for"),
        (
            (HEADER, dump_line({"source": REPLY, "target": POST, "colour": "red"})),
            ":2: unknown field `colour`",
        ),
        ((HEADER, dump_line({"source": REPLY})), ":2: missing field `target`"),
        (
            (HEADER, dump_line({"source": REPLY, "target": POST, "kind": "hug"})),
            ":2: kind: invalid enum value 'hug'",
        ),
        (
            (HEADER, dump_line({"source": "javascript:x", "target": POST})),
            ":2: source: expected an http(s) URL, got 'javascript:x'",
        ),
        ((HEADER, "[1, 2]"), ":2: expected a JSON object"),
    ],
)
def test_unreadable_record_is_skipped_naming_file_and_line(tmp_path, lines, message):
    _write(tmp_path, *lines)
    store = InteractionStore.load(tmp_path)
    [skipped] = store.skipped
    assert skipped.reason.startswith(f"{tmp_path / STORE_FILE}{message}")
    assert len(store) == (1 if GOOD in lines else 0)


def test_unreadable_store_is_never_overwritten(tmp_path):
    from beancan.collect import collect_all
    from beancan.settings import BeancanSettings

    _write(tmp_path, '{"beancan": "interactions", "version": 9}', GOOD, "{broken")
    before = (tmp_path / STORE_FILE).read_bytes()
    import asyncio

    with pytest.raises(StoreError):
        asyncio.run(collect_all(BeancanSettings.of(data_dir=tmp_path)))
    assert (tmp_path / STORE_FILE).read_bytes() == before


def test_missing_store_is_empty(tmp_path):
    assert len(InteractionStore.load(tmp_path / "nowhere")) == 0


def test_one_pass_load_equals_line_by_line_load(tmp_path):
    """Decoding the whole file at once gives exactly what decoding each line gives."""
    from beancan.files import read_jsonl_body
    from beancan.model import interactions_from_lines
    from beancan.store import STORE_KIND, _read_records

    demo = InteractionStore.load(Path(__file__).resolve().parents[1] / "data")
    demo.path = tmp_path / STORE_FILE
    demo.save()
    body = read_jsonl_body(demo.path, STORE_KIND)
    one_pass = interactions_from_lines(body)
    assert one_pass is not None  # the store's own output is decoded in one pass
    by_line, skipped = _read_records(demo.path, body)
    assert skipped == []
    assert one_pass == list(by_line.values())


@pytest.mark.parametrize(
    ("field", "written", "loaded"),
    [
        ("published", "2026-03-17 08:00", "2026-03-17T08:00:00+00:00"),
        ("published", "2026-03-17T10:00:00+02:00", "2026-03-17T08:00:00+00:00"),
        ("in_reply_to", [POST, "javascript:alert(1)"], (POST,)),
        ("author", {"name": "Rafe", "url": "javascript:alert(1)"}, "Rafe"),
        ("author", {"name": "Rafe", "url": ""}, "Rafe"),
    ],
)
def test_hand_edits_are_normalized_not_refused_and_saved_normalized(
    tmp_path, field, written, loaded
):
    record = {"source": REPLY, "target": POST, "kind": "reply", "status": "approved"}
    record[field] = written
    _write(tmp_path, HEADER, GOOD.replace(REPLY, REPLY + "other"), dump_line(record))
    assert interactions_from_lines((dump_line(record) + "\n").encode()) is None
    store = InteractionStore.load(tmp_path)
    got = store.get(REPLY, POST)
    value = got.author.name if field == "author" else getattr(got, field)
    assert value == loaded
    if field == "author":
        assert got.author.url == ""
    assert (len(store), store.skipped) == (2, [])
    store.save()
    assert dump_line(record) not in (tmp_path / STORE_FILE).read_text(encoding="utf-8")
    assert dict(InteractionStore.load(tmp_path).items()) == dict(store.items())


def test_load_for_build_reads_the_file_as_it_is_now(tmp_path):
    """Nothing is kept between builds in one process (``--autoreload``): an edit that keeps
    the file's size and modification time (``cp -p``, ``rsync -t``) is still seen."""
    import os

    from beancan.store import load_for_build

    path = tmp_path / STORE_FILE
    approved = dump_line({"source": REPLY, "target": POST, "kind": "reply", "status": "approved"})
    _write(tmp_path, HEADER, approved)
    stat = path.stat()
    assert load_for_build(tmp_path).get(REPLY, POST).status == "approved"
    _write(tmp_path, HEADER, approved.replace('"approved"', '"pending" '))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert load_for_build(tmp_path).get(REPLY, POST).status == "pending"
