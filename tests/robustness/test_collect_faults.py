"""Issue 12, findings 2 and 3, and fault isolation: one bad URL, page, entry or
collector costs only itself, and what was read before is saved."""

from __future__ import annotations

import asyncio
import json

import pytest

from beancan import collect as collect_module
from beancan.errors import FetchError
from beancan.http import HttpClient
from beancan.store import InteractionStore
from beancan.webmention.collect_state import CollectState
from tests.robustness.helpers import api_settings, good_entry, run_collect


def stored_ids(data_dir) -> set[int]:
    """The wm-ids of the good entries (``good_entry``) the store holds."""
    tails = (i.source.rsplit("/notes/", 1) for i in InteractionStore.load(data_dir))
    return {int(tail[1]) for tail in tails if len(tail) == 2}


def test_finding_2_a_100_kb_photo_url_costs_only_that_avatar(tmp_path, jf2):
    photo = jf2.url("/" + "a" * 100_000 + ".png")
    jf2.entries = [good_entry(1), good_entry(2), good_entry(3)]
    jf2.entries[1]["author"]["photo"] = photo
    run = run_collect(api_settings(tmp_path, jf2))
    assert [(r.new, r.failed) for r in run] == [(3, "")]
    assert stored_ids(tmp_path) == {1, 2, 3}


def test_the_http_client_turns_an_invalid_url_into_a_fetch_error():
    async def get(url: str) -> None:
        async with HttpClient(user_agent="test", allow_private=True) as http:
            await http.get(url)

    with pytest.raises(FetchError, match="not a usable URL"):
        asyncio.run(get("http://127.0.0.1/" + "a" * 100_000))
    with pytest.raises(FetchError):
        asyncio.run(get("http://127.0.0.1:99999999/"))


def _huge(wm_id: int, size: int) -> dict:
    return good_entry(wm_id, content={"text": "x" * size})


def test_finding_3_an_oversized_page_is_read_in_smaller_pages(tmp_path, jf2):
    """Cap 20 kB, 100 a page: pages of 4 kB entries are too big, one 30 kB entry alone is."""
    jf2.entries = [good_entry(i) for i in range(1, 121)]
    for i in (15, 16, 17, 18, 19, 20, 21, 22, 23, 24):
        jf2.entries[i - 1] = _huge(i, 4_000)
    jf2.entries[49] = _huge(50, 30_000)
    settings = api_settings(tmp_path, jf2, http_max_bytes=20_000, webmention_per_page=100)
    [report] = run_collect(settings)
    assert report.failed == ""
    assert stored_ids(tmp_path) == set(range(1, 121)) - {50}
    assert report.skipped == {"too large": 1}
    assert CollectState.load(tmp_path).apis[report.source].since_id == 120
    sizes = [int(a["per-page"]) for a in jf2.asked]
    assert min(sizes) == 1 and sizes[-1] == 100  # back to the size asked for afterwards


def test_since_id_is_saved_per_page_so_a_later_failure_keeps_earlier_pages(tmp_path, jf2):
    jf2.entries = [good_entry(i) for i in range(1, 51)]
    settings = api_settings(tmp_path, jf2, webmention_per_page=50)
    run_collect(settings)  # the first, full listing
    jf2.entries += [good_entry(i) for i in range(51, 251)]
    jf2.fail_from_id = 201
    [report] = run_collect(settings)
    assert report.failed == "page 3 answered HTTP 500"
    assert stored_ids(tmp_path) == set(range(1, 201))
    assert CollectState.load(tmp_path).apis[report.source].since_id == 200
    jf2.fail_from_id, jf2.asked = None, []
    [report] = run_collect(settings)
    assert (report.new, report.failed, jf2.asked[0]["since_id"]) == (50, "", "200")


@pytest.mark.parametrize(
    "bad",
    [
        "a string",
        ["a", "list"],
        {"wm-id": 5},
        {"wm-id": 5, "wm-source": "javascript:alert(1)", "wm-target": "https://blog.example/"},
        {"wm-id": 5, "wm-source": {"deep": [[[]]]}, "wm-target": 7, "author": "x", "content": []},
        {"wm-id": 5, "wm-source": "https://a.example/", "wm-target": "https://blog.example/",
         "in-reply-to": [{"url": [["nested"]]}], "published": {"x": 1}, "rsvp": 12},
    ],
)  # fmt: skip
def test_a_bad_entry_costs_only_itself(tmp_path, jf2, bad):
    jf2.entries = [good_entry(1), bad, good_entry(9)]
    [report] = run_collect(api_settings(tmp_path, jf2))
    assert report.failed == ""
    assert {1, 9} <= stored_ids(tmp_path)


def test_an_exception_in_one_collector_costs_only_that_collector(tmp_path, jf2, monkeypatch):
    jf2.entries = [good_entry(1), good_entry(2)]
    real = collect_module.registered_collectors

    async def broken(context):
        raise RuntimeError("a bug in one collector")

    monkeypatch.setattr(
        collect_module, "registered_collectors", lambda: [("broken", broken), *real()]
    )
    run = run_collect(api_settings(tmp_path, jf2))
    assert [(r.source, r.failed) for r in run.failed] == [
        ("broken", "RuntimeError: a bug in one collector")
    ]
    assert stored_ids(tmp_path) == {1, 2}
    assert run.exit_code() == 0 and run.exit_code(strict=True) == 1


def test_a_page_that_is_not_json_fails_only_its_source(tmp_path, jf2):
    jf2.files["/other.jf2"] = (200, "application/json", json.dumps([1] * 10).encode())
    settings = api_settings(
        tmp_path, jf2, webmention_apis=({"url": jf2.url("/other.jf2")}, {"url": jf2.url()})
    )
    jf2.entries = [good_entry(1)]
    bad, good = run_collect(settings)
    assert bad.failed.startswith("page 0 is not a JF2 feed") and (good.new, good.failed) == (1, "")
