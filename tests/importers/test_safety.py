"""Hostile and broken exports are refused with one line naming the file; data/ untouched.

Also: no e-mail or IP address from an export reaches data/ or the site,
and hostile markup in a comment is gone before it is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from beancan.importers import ExportFileError, run_import
from tests.sitebuild import build_site

from .conftest import DISQUS, WXR

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>
<link>http://oldblog.example/2009/05/two-cans-and-a-string/</link>
<wp:post_name>two-cans-and-a-string</wp:post_name>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>x</wp:comment_author>
<wp:comment_content>&lol9;</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment></item></channel></rss>
"""


def _xxe(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE disqus [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>http://oldblog.example/2011/02/knots-for-beginners/</link></thread>
<post dsq:id="2"><message>&secret;</message><createdAt>2011-02-03T18:20:00Z</createdAt>
<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>x</name></author>
<thread dsq:id="1" /></post>
</disqus>
"""


@pytest.fixture
def imported_site(site):
    """The site with both fixtures already imported: a store worth protecting."""
    run_import(site.settings, "wordpress", WXR)
    run_import(site.settings, "disqus", DISQUS)
    return site


def test_billion_laughs_is_refused_in_one_line_and_data_is_untouched(imported_site, tmp_path):
    hostile = tmp_path / "laughs.xml"
    hostile.write_text(BILLION_LAUGHS, encoding="utf-8")
    before = imported_site.data_bytes()
    with pytest.raises(ExportFileError) as caught:
        run_import(imported_site.settings, "wordpress", hostile)
    message = str(caught.value)
    assert message.startswith(f"{hostile}: refused: the file declares a DOCTYPE")
    assert "\n" not in message
    assert imported_site.data_bytes() == before


def test_external_entity_is_refused_and_its_file_never_read_into_data(imported_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7731", encoding="utf-8")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text(_xxe(secret), encoding="utf-8")
    before = imported_site.data_bytes()
    with pytest.raises(ExportFileError) as caught:
        run_import(imported_site.settings, "disqus", hostile)
    assert str(caught.value).startswith(f"{hostile}: refused: the file declares a DOCTYPE")
    assert "\n" not in str(caught.value)
    assert imported_site.data_bytes() == before


def test_truncated_export_is_refused_naming_file_and_line_and_data_is_untouched(
    imported_site, tmp_path
):
    lines = WXR.read_text(encoding="utf-8").splitlines(keepends=True)
    truncated = tmp_path / "cut.xml"
    # Cut inside the last comment of the first post: everything before is
    # valid, so only finishing the whole file can show that it is broken.
    truncated.write_text("".join(lines[:150]), encoding="utf-8")
    before = imported_site.data_bytes()
    with pytest.raises(ExportFileError) as caught:
        run_import(imported_site.settings, "wordpress", truncated)
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(truncated))}:15[01]: not a complete XML file \(", message)
    assert "\n" not in message
    assert imported_site.data_bytes() == before


def test_truncated_export_into_an_empty_data_folder_writes_no_file(site, tmp_path):
    truncated = tmp_path / "cut.xml"
    truncated.write_bytes(DISQUS.read_bytes()[:-200])
    with pytest.raises(ExportFileError):
        run_import(site.settings, "disqus", truncated)
    assert site.data_bytes() == {}


def test_a_file_that_is_no_export_is_refused(site, tmp_path):
    other = tmp_path / "feed.xml"
    other.write_text("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", encoding="utf-8")
    with pytest.raises(ExportFileError, match=r"feed\.xml: not a WordPress export"):
        run_import(site.settings, "wordpress", other)
    with pytest.raises(ExportFileError, match=r"feed\.xml: not a Disqus export"):
        run_import(site.settings, "disqus", other)
    assert site.data_bytes() == {}


def _fixture_addresses() -> set[str]:
    """Every e-mail and IP address the two fixtures hold."""
    text = WXR.read_text(encoding="utf-8") + DISQUS.read_text(encoding="utf-8")
    emails = set(re.findall(r"[\w.+-]+@[\w-]+\.example", text))
    ips = set(re.findall(r"<(?:wp:comment_author_IP|ipAddress)>(?:<!\[CDATA\[)?([^<\]]+)", text))
    return emails | ips


def test_no_email_or_ip_address_from_the_exports_reaches_data_or_the_site(imported_site, tmp_path):
    addresses = _fixture_addresses()
    assert len(addresses) >= 15  # the fixtures hold what this test looks for
    build = build_site(tmp_path / "output", str(imported_site.settings))
    assert build.problems == []
    files = [p for p in (*imported_site.data.rglob("*"), *build.output.rglob("*")) if p.is_file()]
    leaks = [
        (str(path), address)
        for path in files
        for address in addresses
        if address.encode() in path.read_bytes()
    ]
    assert leaks == []


def test_hostile_markup_in_a_comment_is_removed_before_it_is_stored(imported_site):
    stored = imported_site.store.read_text(encoding="utf-8")
    assert "Nice" in stored  # Mallory's comment is there ...
    for hostile in ("onerror", "onclick", "javascript:", "<img", "alert("):
        assert hostile not in stored  # ... without its payload
