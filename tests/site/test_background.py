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


def test_the_demo_is_the_same_built_with_or_without_the_second_process(demo_build, tmp_path):
    """demo_build ran with BEANCAN_BACKGROUND on (the default); this one without."""
    here = build_site(tmp_path / "in-process", BEANCAN_BACKGROUND=False)
    assert here.problems == []
    assert tree_differences(demo_build.output, here.output) == []
