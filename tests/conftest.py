"""Shared fixtures: the demo site built once per session."""

from __future__ import annotations

import pytest

from tests.sitebuild import Build, build_site


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Build:
    """The demo site, built once per test session."""
    return build_site(tmp_path_factory.mktemp("demo") / "output")


@pytest.fixture(autouse=True)
def _fresh_pelican_log_filter():
    """Each test sees every message it logs.

    Pelican's log filter (on every logger made once ``pelican`` is imported)
    drops a WARNING or lower that it has seen before in the process, so a
    message one test logged would vanish from a later test's log.
    """
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    yield
