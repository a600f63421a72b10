"""The sent log feeds the conversations page: a Webmention we sent is an exchange."""

from __future__ import annotations

import re
import shutil

from beancan.webmention.sentlog import SentEntry, SentLog
from tests.sitebuild import ROOT, build_site

SITEURL = "http://127.0.0.1:8000"
SMILE = f"{SITEURL}/2026/03/the-smile-is-free/"


def test_a_sent_webmention_shows_as_a_one_way_relationship_from_us(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    log = SentLog(data / "sent.jsonl")
    when = "2026-03-20T10:00:00+00:00"
    log.put(SentEntry(SMILE, "https://ines.example/2026/03/counters/", status="sent",
                      protocol="webmention", last_attempt=when))  # fmt: skip
    log.put(SentEntry(SMILE, "https://jo.example/notes/1/", status="no-endpoint",
                      last_attempt=when))  # fmt: skip
    log.save()

    build = build_site(tmp_path / "output", BEANCAN_DATA_DIR=str(data))

    assert build.problems == []
    page = build.page("conversations/index.html")
    rows = re.findall(r'<tr class="bc-row[^"]*">.*?</tr>', page, re.S)
    [ines] = [row for row in rows if "ines.example" in row]
    assert "bc-out" in ines
    assert re.search(r"<td>0</td>\s*<td>1</td>", ines)
    # No endpoint: Jo was never told, and the post does not link Jo either.
    assert not any("jo.example" in row for row in rows)
    person = build.page("conversations/ines-example/index.html")
    assert f'<a href="{SMILE}">' in person
