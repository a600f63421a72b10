"""Shared fixtures: the demo site built once per session."""

from __future__ import annotations

import pytest

from tests.sitebuild import Build, build_site


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Build:
    """The demo site, built once per test session."""
    return build_site(tmp_path_factory.mktemp("demo") / "output")
