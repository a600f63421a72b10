"""The address guard (``beancan._address``): which addresses Beancan may connect to.

End to end, through the receiver, in ``tests/receiver/test_security.py``; here
the guard itself, on a real listening socket on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpcore
import pytest

from beancan._address import GuardedBackend, is_public_address
from beancan.errors import AddressError
from beancan.http import HttpClient
from beancan.settings import BeancanSettings


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("0.0.0.0", False),
        ("::", False),
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("100.64.0.1", False),  # carrier-grade NAT
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:93.184.215.14", True),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("fe80::1%eth0", False),  # link-local with a zone
        ("fc00::1", False),  # unique local
        ("not an address", False),
        ("", False),
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, int]]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server, server.getsockname()[1]
    server.close()


def _accepted(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "127.1"])
def test_a_private_address_is_refused_before_connecting(listener, host):
    server, port = listener

    async def connect() -> None:
        await GuardedBackend(allow_private=False).connect_tcp(host, port, timeout=5)

    with pytest.raises(AddressError) as caught:
        asyncio.run(connect())
    assert caught.value.url == host
    assert "a private, loopback or reserved address" in caught.value.reason
    assert "BEANCAN_ALLOW_PRIVATE_ADDRESSES" in caught.value.reason
    assert _accepted(server) == 0


def test_allowed_private_addresses_do_connect(listener):
    server, port = listener

    async def connect() -> None:
        stream = await GuardedBackend(allow_private=True).connect_tcp("127.0.0.1", port, timeout=5)
        await stream.aclose()

    asyncio.run(connect())
    assert _accepted(server) == 1


def test_unix_sockets_are_refused():
    with pytest.raises(httpcore.ConnectError, match="never connects to Unix sockets"):
        asyncio.run(GuardedBackend(allow_private=True).connect_unix_socket("/tmp/x.sock"))


def test_the_http_client_puts_the_guard_on_every_request(listener, tmp_path):
    server, port = listener
    settings = BeancanSettings.of(data_dir=tmp_path, allow_private_addresses=False)

    async def get() -> None:
        async with HttpClient.from_settings(settings) as http:
            await http.get(f"http://127.0.0.1:{port}/")

    with pytest.raises(AddressError) as caught:
        asyncio.run(get())
    assert caught.value.url == f"http://127.0.0.1:{port}/"
    assert _accepted(server) == 0
