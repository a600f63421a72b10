"""Benchmark of ``invoke send``: 1,000 outgoing links across 100 slow hosts.

100 hosts are 100 ports on 127.0.0.1, served by one asyncio HTTP/1.1 server
(keep-alive) whose every answer takes 50 ms: the target page advertises
``<link rel="webmention" href="/webmention">`` and the endpoint answers 202.
Each link costs two requests (discovery, then the POST).

* First send: Beancan's sender as configured by default (16 requests at
  once, 2 per host) against the same sender one request at a time
  (concurrency 1, per host 1), both measured in this run on fresh sent logs.
  Target: at least 6 times faster.
* Second send with nothing changed: no request to any host, under 1 s.

Quick mode: 200 links across 20 hosts. Run ``python bench/bench_send.py
[--quick]``; ``run()`` returns the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DELAY = 0.05
TARGET_SPEEDUP = 6.0
TARGET_SECOND_SECONDS = 1.0
PAGE = b'<!doctype html><html><head><link rel="webmention" href="/webmention"></head></html>'


class SlowHosts:
    """``hosts`` HTTP servers on 127.0.0.1 (one port each) answering after ``DELAY``.

    They run in a process of their own, as remote hosts would: serving does
    not compete with the sender for this process's interpreter lock.
    """

    def __init__(self, hosts: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._count = context.Value("q", 0)
        self._stop = context.Event()
        self._ports = context.Queue()
        self._process = context.Process(
            target=_serve_hosts, args=(hosts, self._count, self._stop, self._ports), daemon=True
        )
        self.ports: list[int] = []

    @property
    def requests(self) -> int:
        return self._count.value

    def __enter__(self) -> SlowHosts:
        self._process.start()
        self.ports = self._ports.get(timeout=30)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._process.join(10)
        self._ports.close()
        self._ports.join_thread()


def _serve_hosts(hosts: int, count, stop, ports_out) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                method = line.split(b" ", 1)[0]
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                with count.get_lock():
                    count.value += 1
                await asyncio.sleep(DELAY)
                status, body = (b"200 OK", PAGE) if method == b"GET" else (b"202 Accepted", b"")
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256) for _ in range(hosts)
        ]
        ports_out.put([s.sockets[0].getsockname()[1] for s in servers])
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for server in servers:
            server.close()
            await server.wait_closed()

    asyncio.run(main())


def workload(ports: list[int], links: int):
    """100 posts of ours, each linking ``links / 100`` pages spread over every host."""
    from beancan.webmention.sources import OutgoingSource

    posts = 100
    per_post = links // posts
    sources = []
    for post in range(posts):
        targets = []
        for k in range(per_post):
            n = post * per_post + k
            targets.append(f"http://127.0.0.1:{ports[n % len(ports)]}/posts/{n}/")
        sources.append(OutgoingSource(f"https://bench.example/p/{post}/", tuple(targets), "v1"))
    return sources


def _timed_send(settings, sources) -> tuple[float, object]:
    from beancan.webmention.send import send_webmentions

    start = time.perf_counter()
    report = asyncio.run(send_webmentions(settings, sources))
    return time.perf_counter() - start, report


def run(quick: bool = False) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    from beancan.settings import BeancanSettings

    logging.getLogger("beancan").setLevel(logging.ERROR)
    links, hosts = (200, 20) if quick else (1000, 100)
    label = f"{links:,} links, {hosts} hosts, {DELAY * 1000:.0f} ms each"
    with tempfile.TemporaryDirectory(prefix="beancan-bench-send-") as tmp, SlowHosts(hosts) as web:
        base = BeancanSettings.of(
            siteurl="https://bench.example", allow_private_addresses=True, http_timeout=30.0
        )
        sources = workload(web.ports, links)
        fast = base.replaced(data_dir=Path(tmp) / "fast")
        first, report = _timed_send(fast, sources)
        assert report.counts == {"sent": links}, report.counts
        serial = base.replaced(data_dir=Path(tmp) / "serial", concurrency=1, per_host_concurrency=1)
        baseline, report = _timed_send(serial, sources)
        assert report.counts == {"sent": links}, report.counts
        before = web.requests
        second, report = _timed_send(fast, sources)
        made = web.requests - before
        assert report.jobs == []
    return [
        {
            "workload": f"first send vs one at a time ({label})",
            "beancan": round(first, 3),
            "baseline": round(baseline, 3),
            "ratio": round(baseline / first, 2),
            "target": f">= {TARGET_SPEEDUP:g}x faster",
        },
        {
            "workload": f"second send, nothing changed ({links:,} links; {made} requests made)",
            "beancan": round(second, 3),
            "baseline": TARGET_SECOND_SECONDS,
            "ratio": round(second / TARGET_SECOND_SECONDS, 3),
            "target": "< 1 s and 0 requests",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 links across 20 hosts")
    args = parser.parse_args(argv)
    print(f"{'workload':70} {'beancan':>9} {'baseline':>9} {'ratio':>7}  target")
    for row in run(quick=args.quick):
        print(
            f"{row['workload']:70} {row['beancan']:9} {row['baseline']:9} "
            f"{row['ratio']:7}  {row['target']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
