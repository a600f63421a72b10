"""The guard every browser test goes through: in CI a missing piece fails, elsewhere it skips."""

from __future__ import annotations

import pytest

from tests.browser.browser_support import find_browser, missing


def test_missing_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no browser here .CI must run every"):
        missing("no browser here")


def test_missing_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="^no browser here$"):
        missing("no browser here")


def test_the_browser_found_is_debians_headless_chromium():
    found = find_browser()
    if found is None:
        missing("no headless Chromium: run scripts/setup --test")
    assert "chromium" in found
