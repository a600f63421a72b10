"""The one hardened HTTP client every outbound request goes through.

Every request has a total time cap (a server trickling a byte a second is
dropped), a size cap that stops reading, a redirect cap with every hop
checked, a ``User-Agent`` naming Beancan and the site, bounded concurrency
(overall and per host), TLS verification on, and the address guard: no
private, loopback or reserved address unless ``allow_private``.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import anyio
import httpcore
import httpx

from ._address import GuardedBackend
from .errors import AddressError, FetchError
from .urls import host_of, is_http_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "HttpClient",
    "Response",
    "ResponseTooLarge",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class ResponseTooLarge(FetchError):
    """The answer is over the byte cap; a caller may ask for less (smaller pages)."""


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    history: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")

    @property
    def encoding(self) -> str:
        charset = httpx.Response(200, headers=self.headers).charset_encoding
        return charset or "utf-8"

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~45 ms."""
    return httpx.create_ssl_context(trust_env=False)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, allow_private: bool, limits: httpx.Limits) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False, limits=limits)
        # httpx has no public hook for the network backend; httpcore's pool does.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow_private),
        )


class HttpClient:
    """Use as ``async with HttpClient(...) as http: await http.get(url)``."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        allow_private: bool = False,
        concurrency: int = 16,
        per_host: int = 2,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_private = allow_private
        self._all = asyncio.Semaphore(concurrency)
        self._per_host_limit = per_host
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._per_host_limit)
        )
        limits = httpx.Limits(
            max_connections=concurrency * 2, max_keepalive_connections=concurrency
        )
        self._client = httpx.AsyncClient(
            transport=_GuardedTransport(allow_private, limits),
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
        )

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> HttpClient:
        """A client configured by BeancanSettings."""
        options = dict(
            user_agent=settings.user_agent,
            timeout=settings.http.timeout,
            max_bytes=settings.http.max_bytes,
            max_redirects=settings.http.max_redirects,
            allow_private=settings.http.allow_private_addresses,
            concurrency=settings.http.concurrency,
            per_host=settings.http.per_host_concurrency,
        )
        options.update(overrides)
        return cls(**options)

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, **kwargs: Any) -> Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> Response:
        return await self.request("POST", url, **kwargs)

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        follow_redirects: bool = True,
        timeout: float | None = None,
    ) -> Response:
        """One request, redirects followed within the cap; raises FetchError.

        Any HTTP status is returned, not raised: callers decide what 404 or
        410 means to them. Network failures, the caps and the address guard
        raise FetchError (AddressError for the guard) naming the URL.
        """
        limit = max_bytes or self.max_bytes
        total = timeout or self.timeout
        history: list[str] = []
        current = url
        try:
            with anyio.fail_after(total):
                while True:
                    self._check_url(current, url)
                    response = await self._send_once(method, current, headers, data, content, limit)
                    location = response.headers.get("location")
                    if not (follow_redirects and response.status in REDIRECT_STATUSES and location):
                        return Response(
                            current, response.status, response.headers, response.content,
                            tuple(history),
                        )  # fmt: skip
                    if len(history) >= self.max_redirects:
                        raise FetchError(url, f"more than {self.max_redirects} redirects")
                    history.append(current)
                    try:
                        current = urljoin(current, location.strip())
                    except ValueError as exc:  # "http://[" and friends
                        raise FetchError(url, f"redirect to a broken URL: {exc}") from exc
                    if response.status == 303 or (
                        response.status in (301, 302) and method == "POST"
                    ):
                        method, data, content = "GET", None, None
        except TimeoutError as exc:
            raise FetchError(url, f"no complete answer within {total:g} s") from exc

    def _check_url(self, current: str, original: str) -> None:
        if not is_http_url(current):
            raise FetchError(original, f"{current[:200]!r} is not an http(s) URL")
        try:
            urlsplit(current).port  # noqa: B018 - raises for a port out of range
        except ValueError as exc:
            # httpx would let it through to the socket, which raises OverflowError.
            raise FetchError(original[:200], f"not a usable URL ({exc})") from exc

    async def _send_once(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        data: dict[str, str] | None,
        content: bytes | None,
        limit: int,
    ) -> Response:
        # The host's slot first: a request waiting for a busy host must not
        # hold one of the global slots that other hosts could use.
        async with self._hosts[host_of(url)], self._all:
            try:
                request = self._client.build_request(
                    method, url, headers=headers, data=data, content=content
                )
                stream = await self._client.send(request, stream=True)
            except AddressError as exc:
                raise AddressError(url, exc.reason) from exc
            except httpx.InvalidURL as exc:
                # Not an HTTPError: httpx raises it while building the request
                # (a 100 kB photo URL, a bad port), and it must cost only this URL.
                raise FetchError(url[:200], f"not a usable URL ({exc})") from exc
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, f"request failed: {exc}") from exc
            try:
                declared = stream.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise ResponseTooLarge(
                        url,
                        f"answer of {declared} bytes is over the {limit}-byte cap",
                        status=stream.status_code,
                    )
                body = bytearray()
                # Decoded bytes count, so a compressed bomb stops at the cap too.
                async for chunk in stream.aiter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise ResponseTooLarge(
                            url, f"answer is over the {limit}-byte cap", status=stream.status_code
                        )
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out reading ({type(exc).__name__})") from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, f"reading failed: {exc}") from exc
            finally:
                await stream.aclose()
            return Response(url, stream.status_code, stream.headers, bytes(body))
