"""Hostile input: private addresses, redirects to them, huge bodies, floods, markup."""

from __future__ import annotations

import socket
import typing

import httpcore
import pytest

from beancan._address import GuardedBackend
from beancan.http import HttpClient
from beancan.receiver import create_app
from tests.receiver.conftest import POST, Page, SourceSite, make_settings, send, wait_done

#: How each private address is written; "{p}" is the port of a real local server.
PRIVATE_SOURCES = [
    "http://127.0.0.1:{p}/r",
    "http://localhost:{p}/r",
    "http://[::1]:{p6}/r",
    "http://0.0.0.0:{p}/r",
    "http://[::ffff:127.0.0.1]:{p}/r",
    "http://2130706433:{p}/r",  # 127.0.0.1 as one integer
    "http://0x7f000001:{p}/r",  # ... and in hex
    "http://127.1:{p}/r",
    "http://169.254.169.254:{p}/r",  # cloud metadata
    "http://10.0.0.1:{p}/r",
]
#: These reach the local servers when private addresses are allowed (the control).
REACHABLE = PRIVATE_SOURCES[:8]


@pytest.fixture
def local_servers() -> typing.Iterator[tuple[SourceSite, SourceSite]]:
    v4 = SourceSite("127.0.0.1")
    v6 = SourceSite("::1", socket.AF_INET6)
    for site in (v4, v6):
        site.pages["/r"] = Page(body=f'<a class="u-in-reply-to" href="{POST}">re</a>')
    yield v4, v6
    v4.close()
    v6.close()


def _sources(v4: SourceSite, v6: SourceSite, templates: list[str]) -> list[str]:
    return [t.format(p=v4.port, p6=v6.port) for t in templates]


def test_production_mode_never_connects_to_private_addresses(tmp_path, running, local_servers):
    v4, v6 = local_servers
    settings = make_settings(tmp_path, allow_private_addresses=False, http_timeout=2.0)
    client = running(create_app(settings)).client
    locations = [send(client, s).headers["location"] for s in _sources(v4, v6, PRIVATE_SOURCES)]
    for source, location in zip(_sources(v4, v6, PRIVATE_SOURCES), locations, strict=True):
        status = wait_done(client, location)
        assert status["status"] == "rejected", source
        assert "private, loopback or reserved address" in status["message"], source
    assert v4.requests == []
    assert v6.requests == []


def test_control_the_same_sources_do_connect_when_private_addresses_are_allowed(
    tmp_path, running, local_servers
):
    v4, v6 = local_servers
    client = running(create_app(make_settings(tmp_path))).client
    for source in _sources(v4, v6, REACHABLE):
        assert wait_done(client, send(client, source).headers["location"])["status"] == "verified"
    assert len(v4.requests) + len(v6.requests) == len(REACHABLE)


class _OnePublicAddress(GuardedBackend):
    """The address guard, with 127.0.0.2 standing in for one public web server.

    Tests cannot reach a real public host; everything else still goes
    through the production guard.
    """

    async def connect_tcp(self, host: str, port: int, *args: typing.Any, **kwargs: typing.Any):
        if host == "127.0.0.2":
            return await httpcore.AnyIOBackend().connect_tcp(host, port, *args, **kwargs)
        return await super().connect_tcp(host, port, *args, **kwargs)


def test_a_redirect_to_a_private_address_is_not_followed(tmp_path, running, local_servers):
    v4, v6 = local_servers
    public = SourceSite("127.0.0.2")
    try:
        targets = _sources(v4, v6, PRIVATE_SOURCES)
        for number, location in enumerate(targets):
            public.pages[f"/hop/{number}"] = Page(302, "", {"Location": location})
        settings = make_settings(tmp_path, allow_private_addresses=False)

        def http() -> HttpClient:
            client = HttpClient.from_settings(settings)
            # httpx has no public hook for the network backend (see beancan.http).
            client._client._transport._pool._network_backend = _OnePublicAddress(False)
            return client

        client = running(create_app(settings, http=http)).client
        for number in range(len(targets)):
            status = wait_done(
                client, send(client, public.url(f"/hop/{number}")).headers["location"]
            )
            assert status["status"] == "rejected"
            assert "private, loopback or reserved address" in status["message"]
        assert sorted(public.requests) == sorted(f"/hop/{n}" for n in range(len(targets)))
        assert v4.requests == [] and v6.requests == []
    finally:
        public.close()


def test_a_10_mb_post_is_refused_with_413(receiver):
    client = receiver()
    body = b"source=https://a.example/&target=" + b"x" * 10_000_000
    response = client.post(
        "/webmention",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.json() == {"error": "The request body is larger than 100000 bytes."}


def test_a_chunked_body_over_the_limit_is_refused_with_413(receiver):
    def chunks() -> typing.Iterator[bytes]:
        yield b"source=https://a.example/&target="
        for _ in range(200):
            yield b"x" * 1000

    response = receiver().post(
        "/webmention", content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 413


def test_a_flood_from_one_domain_is_rate_limited_while_others_are_answered(receiver):
    client = receiver(receiver_rate_per_domain=10, receiver_workers=0)
    answers = [send(client, f"https://flood.example/p/{n}").status_code for n in range(30)]
    assert answers[:10] == [202] * 10
    assert set(answers[10:]) == {429}
    refused = send(client, "https://flood.example/p/99")
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json() == {"error": "Too many mentions from flood.example; try again later."}
    others = [send(client, f"https://calm{n}.example/p").status_code for n in range(5)]
    assert others == [202] * 5


def test_one_address_is_rate_limited(receiver):
    client = receiver(receiver_rate_per_ip=5, receiver_workers=0)
    answers = [send(client, f"https://site{n}.example/p").status_code for n in range(8)]
    assert answers == [202] * 5 + [429] * 3


def test_a_full_queue_answers_503(receiver):
    client = receiver(receiver_max_queue=3, receiver_workers=0)
    answers = [send(client, f"https://q{n}.example/p").status_code for n in range(5)]
    assert answers == [202, 202, 202, 503, 503]


def test_a_blocked_domain_is_refused_with_403(receiver):
    client = receiver(receiver_blocked_domains=("spam.example",))
    response = send(client, "https://www.spam.example/p")
    assert response.status_code == 403
    assert response.json() == {"error": "Mentions from www.spam.example are not accepted here."}


def test_hostile_markup_is_sanitized_before_the_api_serves_it(receiver, source_site):
    client = receiver()
    source = source_site.reply(
        "/evil",
        text='Hi<script>alert(1)</script><img src="https://t.example/px">'
        '<a href="javascript:alert(2)">x</a>',
        author="<b>Mallory</b>",
    )
    assert wait_done(client, send(client, source).headers["location"])["status"] == "verified"
    [entry] = client.get("/api/mentions.jf2").json()["children"]
    assert entry["content"]["html"] == '<p>Hi<a rel="ugc nofollow noopener">x</a></p>'
    assert entry["author"]["name"] == "Mallory"


def test_an_oversized_source_is_dropped_at_the_size_cap(receiver, source_site):
    client = receiver(http_max_bytes=10_000)
    source_site.pages["/big"] = Page(body=f'<a href="{POST}">x</a>' + "y" * 50_000)
    status = wait_done(client, send(client, source_site.url("/big")).headers["location"])
    assert status["status"] == "rejected"
    assert "over the 10000-byte cap" in status["message"]
