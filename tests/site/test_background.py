"""Beancan's work in a second process: same result as in the build, failures handled."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from beancan.background import _BUILD_KEY, Background, can_run_beside, close_build_jobs
from beancan.errors import StoreError
from tests import background_jobs as jobs
from tests.sitebuild import ROOT, build_site, tree_differences

pytestmark = pytest.mark.skipif(
    not can_run_beside(True), reason="one CPU: Beancan does not start a second process"
)


def test_runs_in_another_process_and_returns_its_result():
    job = Background(jobs.where, 21, os.getpid())
    assert job.in_background
    assert job.result() == (42, True)


def test_runs_in_the_build_when_turned_off():
    job = Background(jobs.where, 21, os.getpid(), enabled=False)
    assert not job.in_background
    assert job.result() == (42, False)


def test_an_error_in_the_process_reaches_the_caller():
    with pytest.raises(StoreError, match="interactions.jsonl:3: invalid JSON"):
        Background(jobs.fails, "data/interactions.jsonl").result()


def test_an_error_that_cannot_cross_is_still_an_error():
    with pytest.raises(RuntimeError, match="Unpicklable from fails_unpicklably"):
        Background(jobs.fails_unpicklably).result()


def test_a_process_that_dies_is_replaced_by_doing_the_work_here(caplog):
    caplog.set_level(logging.WARNING, logger="beancan.background")
    assert Background(jobs.dies_elsewhere, 7, os.getpid()).result() == 7
    assert "second process stopped (exit status 3)" in caplog.text


@pytest.mark.parametrize("fail", [False, True])
def test_what_the_process_warns_reaches_the_builds_log_once(caplog, fail):
    """A skipped store record shows in the build's log (and --fatal warnings), as in the build."""
    caplog.set_level(logging.INFO, logger="beancan")
    job = Background(jobs.warns, 7, fail)
    assert job.in_background
    if fail:
        with pytest.raises(StoreError, match="unreadable"):
            job.result()
    else:
        assert job.result() == 7
    said = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert said == [("beancan.store", logging.WARNING, "data/interactions.jsonl:7: record skipped")]


def test_a_cancelled_job_leaves_nothing_behind():
    job = Background(jobs.where, 1, os.getpid())
    folder = job._beside.folder
    job.cancel()
    assert not os.path.exists(folder)
    assert not job.in_background


def test_the_jobs_of_one_build_share_one_process_in_order(tmp_path):
    build: dict = {}
    first = Background(jobs.touch, str(tmp_path / "first"), 0.2, build=build)
    second = Background(jobs.pid, build=build)
    third = Background(jobs.pid, build=build)
    # Asked in any order; run one after another, in the order started.
    there = second.result()
    assert (tmp_path / "first").exists()
    assert there == third.result() != os.getpid()
    assert first.result() == str(tmp_path / "first")
    folder = build[_BUILD_KEY].value.folder
    close_build_jobs(SimpleNamespace(settings=build))
    assert _BUILD_KEY not in build and not os.path.exists(folder)
    # A later build has a process of its own.
    assert Background(jobs.pid, build=build).result() not in (there, os.getpid())
    close_build_jobs(SimpleNamespace(settings=build))


def test_a_build_inside_another_shares_its_process_and_leaves_it_open():
    """i18n_subsites runs each language's build inside the main one, on a copy of its settings."""
    outer: dict = {}
    there = Background(jobs.pid, build=outer).result()
    shared = outer[_BUILD_KEY].value
    inner = dict(outer)  # the subsite's settings: a copy, made mid-build
    assert Background(jobs.pid, build=inner).result() == there != os.getpid()
    close_build_jobs(SimpleNamespace(settings=inner))  # the subsite ends first
    assert Background(jobs.pid, build=outer).result() == there
    close_build_jobs(SimpleNamespace(settings=outer))
    assert shared.folder is None


def test_a_cancelled_job_of_a_build_is_skipped(tmp_path):
    build: dict = {}
    first = Background(jobs.touch, str(tmp_path / "first"), 0.3, build=build)
    cancelled = Background(jobs.touch, str(tmp_path / "cancelled"), build=build)
    cancelled.cancel()
    assert first.result()
    assert Background(jobs.where, 2, os.getpid(), build=build).result() == (4, True)
    assert not (tmp_path / "cancelled").exists()
    close_build_jobs(SimpleNamespace(settings=build))


def test_when_the_shared_process_dies_every_waiting_job_is_done_here(caplog):
    caplog.set_level(logging.WARNING, logger="beancan.background")
    build: dict = {}
    dying = Background(jobs.dies_elsewhere, 7, os.getpid(), build=build)
    waiting = Background(jobs.where, 5, os.getpid(), build=build)
    assert dying.result() == 7
    assert waiting.result() == (10, False)
    assert [r.getMessage() for r in caplog.records] == [
        "Beancan: the second process stopped (exit status 3); doing its work in the build"
    ]
    # The next job starts a new one.
    assert Background(jobs.where, 1, os.getpid(), build=build).result() == (2, True)
    close_build_jobs(SimpleNamespace(settings=build))


def test_a_process_that_died_unwatched_is_replaced_for_the_next_job(caplog):
    caplog.set_level(logging.WARNING, logger="beancan.background")
    build: dict = {}
    dying = Background(jobs.dies_elsewhere, 7, os.getpid(), build=build)
    build[_BUILD_KEY].value._process.wait(timeout=30)
    later = Background(jobs.where, 5, os.getpid(), build=build)
    assert later.result() == (10, True)
    assert dying.result() == 7
    assert len(caplog.records) == 1
    close_build_jobs(SimpleNamespace(settings=build))


def test_what_a_job_prints_does_not_reach_the_channel(capfd):
    build: dict = {}
    assert Background(jobs.prints, 3, build=build).result() == 3
    assert Background(jobs.prints, 4, build=build).result() == 4
    close_build_jobs(SimpleNamespace(settings=build))
    assert "a line a job prints 4" in capfd.readouterr().err


def test_a_build_script_without_a_main_guard_builds_once(tmp_path):
    """The second process must not run the build's own script again (spawn would)."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "build.py"
    script.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"open({str(marker)!r}, 'a').write('run\\n')\n"
        "from tests import background_jobs as jobs\n"
        "from beancan.background import Background\n"
        "print(Background(jobs.where, 2, os.getpid()).result())\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "(4, True)"
    assert marker.read_text() == "run\n"


def test_the_demo_is_the_same_built_with_or_without_the_second_process(
    demo_build, tmp_path, caplog
):
    """demo_build ran all in one process (its store is small); this one beside it."""
    caplog.set_level(logging.DEBUG, logger="beancan.background")
    there = build_site(tmp_path / "beside", BEANCAN_BACKGROUND_MIN_STORE=0)
    assert there.problems == []
    started = [r.getMessage() for r in caplog.records if "second process" in r.getMessage()]
    assert started == [
        "Beancan: store_sections runs in a second process",
        "Beancan: read_exchanges runs in a second process",  # the peers page's counts
        "Beancan: write_link_manifest runs in a second process",
        "Beancan: compute runs in a second process",
    ]
    assert tree_differences(demo_build.output, there.output) == []
    manifest = "cache/beancan-links.jsonl"
    assert (tmp_path / manifest).read_bytes() == (demo_build.output.parent / manifest).read_bytes()


def test_a_manifest_the_second_process_cannot_write_is_logged(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="beancan.background")
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    built = build_site(
        tmp_path / "output", BEANCAN_BACKGROUND_MIN_STORE=0, CACHE_PATH=str(tmp_path / "cache")
    )
    assert "Beancan: write_link_manifest runs in a second process" in caplog.messages
    [said] = [m for m in built.problems if "link manifest" in m]
    assert said.startswith(
        f"ERROR beancan.site.plugin: beancan: cannot write the link manifest "
        f"{tmp_path}/cache/beancan-links.jsonl: "
    )
    assert said.endswith("; send needs it")
    assert (tmp_path / "output" / "index.html").is_file()


def test_a_small_store_stays_in_the_build(tmp_path):
    from beancan.background import wanted
    from beancan.settings import BeancanSettings

    (tmp_path / "interactions.jsonl").write_bytes(b"x" * 1000)
    assert not wanted(BeancanSettings.of(data_dir=tmp_path, background_min_store=1001))
    assert wanted(BeancanSettings.of(data_dir=tmp_path, background_min_store=1000))
    assert not wanted(
        BeancanSettings.of(data_dir=tmp_path, background=False, background_min_store=0)
    )


def test_the_builds_jobs_run_without_importing_pelican():
    """The second process loads what its jobs need, not Pelican (18 MB and a fifth of a second)."""
    jobs_of_a_build = (
        ("beancan.comments.sections", "store_sections"),
        ("beancan.peers.exchanges", "read_exchanges"),
        ("beancan.webmention.manifest", "write_link_manifest"),
        ("beancan.conversations.compute", "compute"),
    )
    code = "\n".join(
        ["import sys", "import beancan._worker"]
        + [f"from {module} import {name}" for module, name in jobs_of_a_build]
        + ["print(sorted(m for m in sys.modules if m.split('.')[0] == 'pelican'))"]
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
    )
    assert found.stdout.strip() == "[]"
