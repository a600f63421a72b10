"""The sent log: idempotence, edits, dropped links, deleted posts, and its file format."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beancan.errors import StoreError
from beancan.webmention.plan import is_due, plan_jobs
from beancan.webmention.send import send_webmentions
from beancan.webmention.sentlog import SentEntry, SentLog
from beancan.webmention.sources import OutgoingSource

from .conftest import Reply, Server

POST = "https://blog.example/2026/03/post/"
OTHER = "https://blog.example/2026/03/other/"


@pytest.fixture
def targets(server: Server) -> list[str]:
    """Three target pages, each with its own endpoint that answers 202."""
    urls = []
    for name in ("a", "b", "c"):
        server.routes[f"/{name}"] = Reply(200, f'<link rel="webmention" href="/wm/{name}">')
        server.routes[f"/wm/{name}"] = Reply(202)
        urls.append(server.url(f"/{name}"))
    return urls


def run(settings, sources):
    return asyncio.run(send_webmentions(settings, sources))


def posts(server: Server) -> list[tuple[str, str]]:
    return sorted((r.path, r.form["source"][0]) for r in server.requests if r.method == "POST")


def test_second_run_with_nothing_changed_sends_nothing(server, settings, targets) -> None:
    sources = [OutgoingSource(POST, tuple(targets[:2]), "v1"), OutgoingSource(OTHER, (), "o1")]
    first = run(settings, sources)
    assert first.counts == {"sent": 2}
    seen = len(server.requests)
    second = run(settings, sources)
    assert second.jobs == [] and second.results == []
    assert len(server.requests) == seen  # not one request to any target
    saved = (settings.data_dir / "sent.jsonl").read_bytes()
    run(settings, sources)
    assert (settings.data_dir / "sent.jsonl").read_bytes() == saved


def test_edited_post_resends_to_current_targets_and_dropped_links(
    server, settings, targets
) -> None:
    a, b, c = targets
    run(settings, [OutgoingSource(POST, (a, b), "v1")])
    server.requests.clear()
    # The edit drops b and adds c: a and c are current, b must hear it was dropped.
    report = run(settings, [OutgoingSource(POST, (a, c), "v2")])
    assert sorted((j.target, j.reason) for j in report.jobs) == [
        (a, "changed"),
        (b, "dropped"),
        (c, "new"),
    ]
    assert posts(server) == [("/wm/a", POST), ("/wm/b", POST), ("/wm/c", POST)]
    log = SentLog.load(settings.data_dir)
    assert [(e.target, e.hash, e.linked) for e in log] == [
        (a, "v2", True),
        (b, "v2", False),
        (c, "v2", True),
    ]
    # Nothing changed since: nothing is sent, not even to the dropped link again.
    server.requests.clear()
    assert run(settings, [OutgoingSource(POST, (a, c), "v2")]).jobs == []
    assert server.requests == []
    # Linking b again notifies it again.
    report = run(settings, [OutgoingSource(POST, (a, b, c), "v3")])
    assert {j.target for j in report.jobs} == {a, b, c}


def test_deleted_post_notifies_its_former_targets_once(server, settings, targets) -> None:
    a, b, _c = targets
    run(settings, [OutgoingSource(POST, (a, b), "v1"), OutgoingSource(OTHER, (a,), "o1")])
    server.requests.clear()
    report = run(settings, [OutgoingSource(OTHER, (a,), "o1")])  # POST was deleted
    assert sorted((j.source, j.target, j.reason) for j in report.jobs) == [
        (POST, a, "deleted"),
        (POST, b, "deleted"),
    ]
    assert posts(server) == [("/wm/a", POST), ("/wm/b", POST)]
    log = SentLog.load(settings.data_dir)
    assert [(e.target, e.gone, e.linked) for e in log if e.source == POST] == [
        (a, True, False),
        (b, True, False),
    ]
    assert log.gone_sources({OTHER}) == [POST]
    server.requests.clear()
    assert run(settings, [OutgoingSource(OTHER, (a,), "o1")]).jobs == []
    assert server.requests == []


def test_a_page_sent_by_url_is_never_treated_as_deleted(server, settings, targets) -> None:
    page = "https://elsewhere.example/note"
    asyncio.run(
        send_webmentions(
            settings, [OutgoingSource(page, (targets[0],), "p1")], whole_site=False, origin="page"
        )
    )
    assert run(settings, [OutgoingSource(POST, (), "v1")]).jobs == []


def test_is_due_doubles_the_delay_per_attempt() -> None:
    entry = SentEntry(
        POST,
        "https://x.example/",
        status="retry",
        attempts=3,
        last_attempt="2026-01-01T00:00:00+00:00",
    )
    # 3rd attempt: 60 s * 2**2 = 240 s.
    assert not is_due(entry, "2026-01-01T00:03:59+00:00", 60)
    assert is_due(entry, "2026-01-01T00:04:00+00:00", 60)
    assert not is_due(SentEntry(POST, "https://x.example/", status="sent"), "2030-01-01", 0)


def test_plan_is_sorted_and_pure(tmp_path) -> None:
    log = SentLog(tmp_path / "sent.jsonl")
    sources = [
        OutgoingSource(OTHER, ("https://z.example/", "https://a.example/"), "h"),
        OutgoingSource(POST, ("https://m.example/",), "h"),
    ]
    jobs = plan_jobs(log, sources, "2026-01-01T00:00:00+00:00", retry_seconds=0)
    assert [(j.source, j.target) for j in jobs] == [
        (OTHER, "https://a.example/"),
        (OTHER, "https://z.example/"),
        (POST, "https://m.example/"),
    ]
    assert len(log) == 0


def test_a_bad_sent_log_names_file_and_line(tmp_path) -> None:
    path = tmp_path / "sent.jsonl"
    header = json.dumps({"beancan": "sent", "version": 1})
    path.write_text(
        header + "\n" + json.dumps({"source": POST, "target": POST, "status": "lost"}) + "\n"
    )
    with pytest.raises(StoreError, match=r"sent.jsonl:2: status 'lost' is not one of"):
        SentLog.load(tmp_path)
    path.write_text(
        header
        + "\n"
        + json.dumps({"source": POST, "target": POST, "status": "sent", "attempts": "2"})
        + "\n"
    )
    with pytest.raises(StoreError, match=r"sent.jsonl:2: 'attempts' must be a whole number"):
        SentLog.load(tmp_path)


_urls = st.sampled_from([f"https://t{i}.example/p" for i in range(6)])
_sites = st.dictionaries(
    st.sampled_from([POST, OTHER, "https://blog.example/3/"]),
    st.tuples(st.frozensets(_urls, max_size=4), st.sampled_from(["v1", "v2"])),
    max_size=3,
)


def _sources(site) -> list[OutgoingSource]:
    return [OutgoingSource(url, tuple(sorted(t)), h) for url, (t, h) in site.items()]


def _deliver(log: SentLog, jobs) -> None:
    from beancan.webmention.pingback import Outcome
    from beancan.webmention.send import record

    for job in jobs:
        record(log, job, Outcome("sent"), "2026-01-01T00:00:00+00:00", 3)


@given(before=_sites, after=_sites)
def test_plan_properties(tmp_path_factory, before, after) -> None:
    """Delivered plans are idempotent, and a change notifies old and new targets alike."""
    now = "2026-01-02T00:00:00+00:00"
    log = SentLog(tmp_path_factory.mktemp("log") / "sent.jsonl")
    _deliver(log, plan_jobs(log, _sources(before), now, retry_seconds=0))
    assert plan_jobs(log, _sources(before), now, retry_seconds=0) == []
    jobs = plan_jobs(log, _sources(after), now, retry_seconds=0)
    expected = set()
    for url in set(before) | set(after):
        old_targets, old_hash = before.get(url, (frozenset(), None))
        new_targets, new_hash = after.get(url, (frozenset(), None))
        if url not in after:
            expected |= {(url, t) for t in old_targets}  # deleted: tell every former target
        elif old_hash != new_hash:
            expected |= {(url, t) for t in old_targets | new_targets}
        else:
            expected |= {(url, t) for t in new_targets ^ old_targets}
    assert {(j.source, j.target) for j in jobs} == expected
    _deliver(log, jobs)
    assert plan_jobs(log, _sources(after), now, retry_seconds=0) == []
