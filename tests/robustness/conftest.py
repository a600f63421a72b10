"""Fixtures of the robustness tests: a JF2 API on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.peers.helpers import PeerServer
from tests.robustness.helpers import JF2Server


@pytest.fixture
def jf2():
    """A fresh JF2 API; closed (socket and thread) after the test."""
    server = JF2Server()
    yield server
    server.close()


@pytest.fixture
def server():
    """A peer-feed server (tests.peers.helpers); closed after the test."""
    peer_server = PeerServer()
    yield peer_server
    peer_server.close()
