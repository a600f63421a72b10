"""Importing again changes nothing; a newer export adds only what is new; decisions stick."""

from __future__ import annotations

from beancan.importers import run_import
from beancan.settings import BeancanSettings, load_settings_file
from beancan.store import InteractionStore
from beancan.store_decisions import run_moderation

from .conftest import DISQUS, WXR

OLD = "http://oldblog.example/2009/05/two-cans-and-a-string/"
POST = "https://ingrid.example/2009/05/two-cans-and-a-string/"


def _settings(site) -> BeancanSettings:
    return BeancanSettings.from_pelican(load_settings_file(site.settings))


def test_second_import_changes_no_byte_of_data(site):
    for kind, export in (("wordpress", WXR), ("disqus", DISQUS)):
        run_import(site.settings, kind, export)
    before = site.data_bytes()
    mtime = site.store.stat().st_mtime_ns
    for kind, export in (("wordpress", WXR), ("disqus", DISQUS)):
        summary = run_import(site.settings, kind, export)
        assert summary.imported == 0 and summary.updated == 0 and not summary.saved
    assert site.data_bytes() == before
    assert site.store.stat().st_mtime_ns == mtime  # not even rewritten


def test_newer_export_adds_only_its_new_comment(site, tmp_path):
    run_import(site.settings, "wordpress", WXR)
    before = {i.key: i for i in InteractionStore.load(site.data)}
    newer = tmp_path / "newer.xml"
    late_comment = """<wp:comment>
			<wp:comment_id>52</wp:comment_id>
			<wp:comment_author><![CDATA[Priyanka]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[priyanka@mail.example]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2010-01-04 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Still the best post on this blog.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_parent>44</wp:comment_parent>
		</wp:comment>
	</item>"""
    newer.write_text(
        WXR.read_text(encoding="utf-8").replace("</item>", late_comment, 1), encoding="utf-8"
    )
    summary = run_import(site.settings, "wordpress", newer)
    assert dict(summary.added) == {("reply", "approved"): 1}
    after = {i.key: i for i in InteractionStore.load(site.data)}
    assert {k: v for k, v in after.items() if k in before} == before
    (new,) = [after[k] for k in after.keys() - before.keys()]
    assert new.source == OLD + "?replytocom=52"
    assert new.in_reply_to == (OLD + "?replytocom=44",)


def test_moderation_decisions_after_the_first_import_stick(site):
    run_import(site.settings, "wordpress", WXR)
    settings = _settings(site)
    # The author hides an approved comment and approves the pending one.
    run_moderation(settings, [OLD + "?replytocom=48"], [OLD + "?replytocom=49"])
    decided = site.data_bytes()
    summary = run_import(site.settings, "wordpress", WXR)
    assert not summary.saved
    assert site.data_bytes() == decided
    store = InteractionStore.load(site.data)
    assert store.get(OLD + "?replytocom=48", POST).status == "approved"
    assert store.get(OLD + "?replytocom=49", POST).status == "spam"


def test_a_blocked_author_stays_blocked_in_a_later_import(site):
    run_moderation(_settings(site), [], ["https://margarethe.example/attic/"], by="author")
    summary = run_import(site.settings, "wordpress", WXR)
    store = InteractionStore.load(site.data)
    assert store.get(OLD + "?replytocom=42", POST).status == "spam"
    assert store.get(OLD + "?replytocom=44", POST).status == "spam"
    assert summary.added[("reply", "spam")] == 2


def test_pending_comment_is_listed_by_moderate(site):
    run_import(site.settings, "wordpress", WXR)
    listing = run_moderation(_settings(site), [], [])
    assert "1 interaction(s) wait for moderation" in listing
    assert "Zoë Ferreira" in listing and OLD + "?replytocom=48" in listing


def test_dry_run_reports_what_an_import_would_add_and_writes_nothing(site):
    summary = run_import(site.settings, "wordpress", WXR, dry_run=True)
    assert site.data_bytes() == {}
    assert dict(summary.added) == {
        ("mention", "approved"): 2, ("reply", "approved"): 6, ("reply", "pending"): 1
    }  # fmt: skip
    assert "Dry run: nothing was written." in summary.text()
    assert ("comments would be added, approved", "6") in summary.rows()
