"""The address guard: which IP addresses Beancan may connect to.

Checked after DNS resolution, at connect time, for every connection
(redirects included), so a hostname that resolves to a private address, an
integer or hex IPv4 form, or an IPv4-mapped IPv6 address is refused
whatever the URL looked like.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import anyio
import httpcore

from .errors import AddressError

__all__ = ["GuardedBackend", "is_public_address"]


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    return ip.is_global and not (ip.is_multicast or ip.is_unspecified or ip.is_reserved)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, resolving names itself and refusing non-public addresses."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        allowed = [a for a in addresses if self.allow_private or is_public_address(a)]
        if not allowed:
            raise AddressError(
                host,
                f"resolves to {', '.join(addresses)}, a private, loopback or reserved "
                "address (set BEANCAN_ALLOW_PRIVATE_ADDRESSES only for tests and local demos)",
            )
        last: Exception | None = None
        for address in allowed:
            try:
                return await self._backend.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: typing.Any, **kwargs: typing.Any):
        raise httpcore.ConnectError("Beancan never connects to Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
