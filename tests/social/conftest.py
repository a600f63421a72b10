"""Fixtures of the social tests: the fake servers and a conversation on them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.social.fakes import FakeAppView, FakeMastodon
from tests.social.scenario import Conversation, converse


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    yield server
    server.close()


@pytest.fixture
def appview() -> Iterator[FakeAppView]:
    server = FakeAppView()
    yield server
    server.close()


@pytest.fixture
def talk(mastodon: FakeMastodon, appview: FakeAppView) -> Conversation:
    return converse(mastodon, appview)
