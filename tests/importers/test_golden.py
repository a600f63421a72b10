"""Golden files: each fixture export imports into exactly the records in ``golden/``.

``golden/<export>.jsonl`` is the store file an import of
``fixtures/<export>.xml`` into an empty data folder writes, header
included. Read them as the specification of the conversion: sources,
nesting (``in_reply_to``), kinds, statuses, authors, dates and sanitized
content.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beancan.importers import run_import

from .conftest import DISQUS, WXR

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("kind", "export"), [("wordpress", WXR), ("disqus", DISQUS)])
def test_import_writes_the_golden_records(site, kind, export):
    run_import(site.settings, kind, export)
    expected = (GOLDEN / (export.stem + ".jsonl")).read_text(encoding="utf-8")
    assert site.store.read_text(encoding="utf-8") == expected


def _records(name: str) -> dict[str, dict]:
    lines = (GOLDEN / name).read_text(encoding="utf-8").splitlines()[1:]
    return {json.loads(line)["source"].rpartition("=")[2]: json.loads(line) for line in lines}


def test_wordpress_golden_thread_is_three_deep_with_the_authors_reply_in_the_middle():
    records = _records("maple-street.wxr.jsonl")
    reader, blogger, author, answer = (records[i] for i in ("41", "42", "43", "44"))
    post = "https://ingrid.example/2009/05/two-cans-and-a-string/"
    assert reader["in_reply_to"] == [post]
    assert blogger["in_reply_to"] == [post]
    assert author["in_reply_to"] == [blogger["source"]]
    assert author["author"] == {"name": "Ingrid Vale", "url": "https://ingrid.example/"}
    assert answer["in_reply_to"] == [author["source"]]


def test_wordpress_golden_has_no_spam_or_trash_and_the_pending_comment_waits():
    records = _records("maple-street.wxr.jsonl")
    assert "47" not in records and "50" not in records  # spam, trash
    # our own post's pingback: the build shows its link instead
    assert "http://oldblog.example/2012/01/a-quiet-post/" not in records
    assert records["48"]["status"] == "pending"
    assert {r["status"] for k, r in records.items() if k != "48"} == {"approved"}


def test_disqus_golden_has_two_levels_and_no_deleted_or_spam_post():
    records = _records("maple-street.disqus.jsonl")
    assert sorted(records) == ["880001", "880002"]
    assert records["880002"]["in_reply_to"] == [records["880001"]["source"]]


def test_wxr_1_1_imports_like_wxr_1_2(site, tmp_path):
    older = tmp_path / "wxr-1.1.xml"
    older.write_text(
        WXR.read_text(encoding="utf-8").replace("/export/1.2/", "/export/1.1/"), encoding="utf-8"
    )
    assert "export/1.1/" in older.read_text(encoding="utf-8")
    run_import(site.settings, "wordpress", older)
    expected = (GOLDEN / "maple-street.wxr.jsonl").read_text(encoding="utf-8")
    assert site.store.read_text(encoding="utf-8") == expected


def test_zero_gmt_date_falls_back_to_local_time_moved_by_the_posts_offset():
    # Zoë wrote at 23:30 local; the post's local and GMT dates differ by two hours.
    assert _records("maple-street.wxr.jsonl")["48"]["published"] == "2009-05-22T21:30:00+00:00"


def test_a_comment_without_an_id_is_skipped_not_merged_with_another(site, tmp_path):
    export = tmp_path / "no-ids.xml"
    text = DISQUS.read_text(encoding="utf-8")
    export.write_text(
        text.replace('<post dsq:id="880001">', "<post>").replace(
            '<post dsq:id="880002">', "<post>"
        ),
        encoding="utf-8",
    )
    summary = run_import(site.settings, "disqus", export)
    assert summary.skipped["no address"] == 2
    assert summary.imported == 0
