"""Fixtures of the real-browser tests: one Chromium per session, the demo site built once.

In CI (``CI`` set) a missing browser, axe-core or page is a failure, never a
skip (issue 8: "none is skipped in CI"); on a workstation it is a skip that
says what to install.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browser_receiver import receiver_app
from tests.browser.browser_support import (
    AXE_SCRIPT,
    BROWSER_ARGS,
    BuiltSite,
    bound_socket,
    build_site,
    find_browser,
    missing,
    serve_asgi,
    serve_folder,
)

#: A static page on 127.0.0.1 is ready in milliseconds; waiting longer only hides a failure.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright; never a downloaded browser.

    One per test module, not per session: while Playwright's sync API is open
    it keeps an event loop running in the main thread, and the asyncio-based
    tests that run after the browser modules call ``asyncio.run``.
    """
    executable = find_browser()
    if executable is None:
        missing("no headless Chromium: run scripts/setup --test (apt chromium-headless-shell)")
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT} is missing: run scripts/setup --test (npm axe-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def receiver_socket():
    """The receiver's address, taken before the build so the reply form can point at it.

    Nothing answers there until a test asks for ``receiver``: the site's other
    tests do not depend on the receiver working.
    """
    sock = bound_socket()
    try:
        yield sock
    finally:
        sock.close()


@pytest.fixture(scope="session")
def receiver(tmp_path_factory, site_folder, receiver_socket):
    """A Webmention receiver for the site on 127.0.0.1: Beancan's own when present."""
    folder, origin = site_folder
    app, kind = receiver_app(origin, tmp_path_factory.mktemp("receiver"))
    with serve_asgi(app, receiver_socket) as endpoint_origin:
        yield {"endpoint": endpoint_origin + "/webmention", "kind": kind, "app": app}


@pytest.fixture(scope="session")
def site_folder(tmp_path_factory):
    """The served (still empty) output folder and its origin; the build fills it."""
    folder = tmp_path_factory.mktemp("site")
    with serve_folder(folder) as origin:
        yield folder, origin


@pytest.fixture(scope="session")
def site(site_folder, receiver_socket) -> BuiltSite:
    """The demo site, built once by Pelican, its reply form posting to the receiver's address."""
    folder, origin = site_folder
    endpoint = f"http://127.0.0.1:{receiver_socket.getsockname()[1]}/webmention"
    build_site(folder, origin, BEANCAN_WEBMENTION_ENDPOINT=endpoint)
    return BuiltSite(Path(folder), origin)


@pytest.fixture
def context(browser):
    """A fresh browser context (cookies, cache, viewport) closed after the test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def new_context(browser):
    """Make contexts with options (no JavaScript, phone size, dark); all closed after."""
    made = []

    def make(**options):
        made.append(browser.new_context(**options))
        made[-1].set_default_timeout(TIMEOUT_MS)
        return made[-1]

    try:
        yield make
    finally:
        for ctx in made:
            ctx.close()
