"""Fixtures of the peers tests: a peer server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.peers.helpers import PeerServer


@pytest.fixture
def server():
    """A fresh server for peer feeds; closed (socket and thread) after the test."""
    peer_server = PeerServer()
    yield peer_server
    peer_server.close()
