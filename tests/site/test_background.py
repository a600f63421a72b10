"""Beancan's work in a second process: same result as in the build, failures handled."""

from __future__ import annotations

import logging

import pytest

from beancan.background import Background, can_run_beside
from beancan.errors import StoreError
from tests import background_jobs as jobs
from tests.sitebuild import build_site, tree_differences

pytestmark = pytest.mark.skipif(
    not can_run_beside(True), reason="one CPU: Beancan does not start a second process"
)


def test_runs_in_another_process_and_returns_its_result():
    job = Background(jobs.where, 21)
    assert job.in_background
    assert job.result() == (42, True)


def test_runs_in_the_build_when_turned_off():
    job = Background(jobs.where, 21, enabled=False)
    assert not job.in_background
    assert job.result() == (42, False)


def test_an_error_in_the_process_reaches_the_caller():
    with pytest.raises(StoreError, match="interactions.jsonl:3: invalid JSON"):
        Background(jobs.fails, "data/interactions.jsonl").result()


def test_a_process_that_dies_is_replaced_by_doing_the_work_here(caplog):
    caplog.set_level(logging.WARNING, logger="beancan.background")
    assert Background(jobs.dies_in_a_child, 7).result() == 7
    assert "background process stopped" in caplog.text


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
        "Beancan: compute runs in a second process",
    ]
    assert tree_differences(demo_build.output, there.output) == []


def test_a_small_store_stays_in_the_build(tmp_path):
    from beancan.background import wanted
    from beancan.settings import BeancanSettings

    (tmp_path / "interactions.jsonl").write_bytes(b"x" * 1000)
    assert not wanted(BeancanSettings(data_dir=tmp_path, background_min_store=1001))
    assert wanted(BeancanSettings(data_dir=tmp_path, background_min_store=1000))
    assert not wanted(BeancanSettings(data_dir=tmp_path, background=False, background_min_store=0))
