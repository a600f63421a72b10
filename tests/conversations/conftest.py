"""Two real builds of the demo site, for the conversations end-to-end tests."""

from __future__ import annotations

import pytest

from tests.sitebuild import Build, build_site


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Build, Build]:
    """The demo built twice into separate folders (for the byte-identical check)."""
    first = build_site(tmp_path_factory.mktemp("conversations-a") / "output")
    second = build_site(tmp_path_factory.mktemp("conversations-b") / "output")
    return first, second


@pytest.fixture(scope="module")
def demo(builds) -> Build:
    return builds[0]
