"""Benchmark of the peer-feed collector: 200 peer feeds, each answering after 50 ms.

200 peers are 200 ports on 127.0.0.1, served by one asyncio HTTP/1.1 server
whose every answer (200 or 304) takes 50 ms. Each feed is RSS 2.0 with 10
items, 2 of which link one of our posts. The feeds carry no comment feeds
and ``BEANCAN_PEER_PAGE_CHECKS`` is left at its default (0): the collector
makes one request per peer, like the baseline.

* First collect (``collect_all``, settings as shipped: 16 requests at once,
  2 per host) against a one-at-a-time ``feedparser.parse(url)`` loop over
  the same feeds, measured in the same run. Target: at least 6x faster.
* Second collect with nothing changed: every feed answers 304 (counted by
  the server). Target: under 1.5 s.

Quick mode: 40 peers. Run ``python bench/bench_peers.py [--quick]``;
``run()`` returns the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DELAY = 0.05
TARGET_SPEEDUP = 6.0
TARGET_SECOND_SECONDS = 1.5
SITEURL = "https://bench.example"


def feed_xml(peer: int) -> bytes:
    """One peer's RSS feed: 10 posts, 2 linking ours."""
    items = []
    for n in range(10):
        if n % 5 == 0:
            link = f'<a href="{SITEURL}/2026/0{1 + n % 9}/post-{n}/?utm_source=rss">ours</a>'
        else:
            link = f'<a href="https://else{n}.example/x/">elsewhere</a>'
        items.append(
            f"<item><title>Post {n} of peer {peer}</title>"
            f"<link>https://peer{peer}.example/2026/{n:02d}/post/</link>"
            f"<guid>https://peer{peer}.example/2026/{n:02d}/post/</guid>"
            f"<pubDate>Mon, {1 + n:02d} Jun 2026 09:00:00 +0000</pubDate>"
            f"<dc:creator>Peer {peer}</dc:creator>"
            f"<description>&lt;p&gt;Some words and a link: {link.replace('<', '&lt;')}&lt;/p&gt;"
            "</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Peer {peer}</title><link>https://peer{peer}.example/</link>"
        f"<description>A peer</description>{''.join(items)}</channel></rss>"
    ).encode()


class SlowFeeds:
    """One feed per port on 127.0.0.1; every answer after ``DELAY``; ETag + 304.

    The server runs in a process of its own, as peers run on machines of
    their own: its work does not compete for the GIL with what is measured.
    """

    def __init__(self, peers: int) -> None:
        context = multiprocessing.get_context("fork")
        self.ok = context.Value("i", 0)  # 200 answers
        self.not_modified = context.Value("i", 0)  # 304 answers
        self.sockets = []
        for _ in range(peers):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)
            self.sockets.append(sock)
        self.ports = [s.getsockname()[1] for s in self.sockets]
        self.feeds = {port: feed_xml(n) for n, port in enumerate(self.ports)}
        self._ready = context.Event()
        self._process = context.Process(target=self._serve, daemon=True)

    def reset(self) -> None:
        with self.ok.get_lock(), self.not_modified.get_lock():
            self.ok.value = self.not_modified.value = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        body, etag = self.feeds[port], f'"feed-{port}"'.encode()
        try:
            while await reader.readline():
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                await asyncio.sleep(DELAY)
                fresh = headers.get(b"if-none-match") == etag
                counter = self.not_modified if fresh else self.ok
                with counter.get_lock():
                    counter.value += 1
                status, payload = (b"304 Not Modified", b"") if fresh else (b"200 OK", body)
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: application/rss+xml\r\n"
                    b"ETag: " + etag + b"\r\nContent-Length: " + str(len(payload)).encode()
                    + b"\r\n\r\n" + payload
                )  # fmt: skip
                await writer.drain()
                if headers.get(b"connection", b"").lower() == b"close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def _serve(self) -> None:
        async def serve() -> None:
            for sock in self.sockets:
                await asyncio.start_server(self._handle, sock=sock)
            self._ready.set()
            await asyncio.Event().wait()  # until the process is terminated

        asyncio.run(serve())

    def __enter__(self) -> SlowFeeds:
        self._process.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._process.terminate()
        self._process.join(10)
        for sock in self.sockets:
            sock.close()


def _timed_collect(settings) -> tuple[float, list]:
    from beancan.collect import collect_all, registered_collectors

    registered_collectors()  # imports every collector first, as the baseline imports feedparser
    start = time.perf_counter()
    reports = asyncio.run(collect_all(settings))
    return time.perf_counter() - start, reports


def _timed_baseline(urls: list[str]) -> tuple[float, int]:
    import feedparser

    start = time.perf_counter()
    entries = sum(len(feedparser.parse(url).entries) for url in urls)
    return time.perf_counter() - start, entries


def run(quick: bool = False) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    from beancan.settings import BeancanSettings

    logging.getLogger("beancan").setLevel(logging.ERROR)
    count = 40 if quick else 200
    label = f"{count} peer feeds, {DELAY * 1000:.0f} ms each"
    with tempfile.TemporaryDirectory(prefix="beancan-bench-peers-") as tmp, SlowFeeds(count) as web:
        urls = [f"http://127.0.0.1:{port}/feed.xml" for port in web.ports]
        peers = tuple(
            {"name": f"Peer {n}", "url": url.removesuffix("feed.xml"), "feed": url}
            for n, url in enumerate(urls)
        )
        settings = BeancanSettings.of(siteurl=SITEURL, peers=peers, data_dir=Path(tmp),
                                   allow_private_addresses=True, http_timeout=30.0)  # fmt: skip
        first, reports = _timed_collect(settings)
        assert [r.failed for r in reports if r.failed] == [], reports
        assert sum(r.new for r in reports) == 2 * count, sum(r.new for r in reports)
        baseline, entries = _timed_baseline(urls)
        assert entries == 10 * count, entries
        web.reset()
        second, reports = _timed_collect(settings)
        not_modified = web.not_modified.value
        assert (web.ok.value, not_modified) == (0, count), (web.ok.value, not_modified)
        assert sum(r.new + r.updated for r in reports) == 0
    return [
        {
            "workload": f"first collect vs feedparser.parse one at a time ({label})",
            "beancan": round(first, 3),
            "baseline": round(baseline, 3),
            "ratio": round(baseline / first, 2),
            "target": f">= {TARGET_SPEEDUP:g}x faster",
        },
        {
            "workload": f"second collect, nothing changed ({not_modified}/{count} answers 304)",
            "beancan": round(second, 3),
            "baseline": TARGET_SECOND_SECONDS,
            "ratio": round(second / TARGET_SECOND_SECONDS, 3),
            "target": f"< {TARGET_SECOND_SECONDS:g} s, 304s only",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 peer feeds")
    args = parser.parse_args(argv)
    print(f"{'workload':74} {'beancan':>9} {'baseline':>9} {'ratio':>7}  target")
    for row in run(quick=args.quick):
        print(
            f"{row['workload']:74} {row['beancan']:9} {row['baseline']:9} "
            f"{row['ratio']:7}  {row['target']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
