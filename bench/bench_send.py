"""Benchmark of ``beancan send``: 1,000 outgoing links across 100 slow hosts.

What a user pays: the real command (``python -m beancan.cli send --settings
FILE``, what ``invoke send`` calls) in a fresh process each time, start-up,
settings and reading the build's link manifest included. The manifest (100
posts, 10 links each) is written as the build writes it.

The 100 hosts are 100 loopback addresses (127.0.0.2, 127.0.0.3, ...) on one
port, served by one asyncio HTTP/1.1 server (keep-alive) in a process of its
own, so the per-host limit applies per host as on the internet. Every answer
takes 50 ms: the target page advertises ``<link rel="webmention"
href="/webmention">`` and the endpoint answers 202. Each link costs two
requests (discovery, then the POST).

Paired rounds, alternating which goes first:

* A: the command with the settings as shipped (16 requests at once, 2 per
  host), against B: the same command one request at a time
  (``BEANCAN_CONCURRENCY = 1``, ``BEANCAN_PER_HOST_CONCURRENCY = 1``), each
  on a fresh sent log. Target: B / A >= 6.
* C: A's command again with nothing changed: no request to any host, under 1 s.

Quick mode: 200 links across 20 hosts, 2 pairs. Run ``python
bench/bench_send.py [--quick] [--pairs N]``; ``run()`` returns the rows for
``invoke bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _loopback import LoopbackHosts, command_env, summary  # noqa: E402

DELAY = 0.05
TARGET_SPEEDUP = 6.0
TARGET_SECOND_SECONDS = 1.0
SITEURL = "https://bench.example"
PAGE = b'<!doctype html><html><head><link rel="webmention" href="/webmention"></head></html>'


class SlowHosts(LoopbackHosts):
    """``hosts`` loopback addresses on one port, each answering after ``DELAY``."""

    def __init__(self, hosts: int) -> None:
        super().__init__(hosts)
        self._count = self.context.Value("q", 0)

    @property
    def requests(self) -> int:
        return self._count.value

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
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
                with self._count.get_lock():
                    self._count.value += 1
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


def workload(web: SlowHosts, links: int):
    """100 posts of ours, each linking ``links / 100`` pages spread over every host."""
    from beancan.webmention.sources import OutgoingSource

    posts = 100
    per_post = links // posts
    sources = []
    for post in range(posts):
        targets = []
        for k in range(per_post):
            n = post * per_post + k
            targets.append(f"http://{web.hosts[n % len(web.hosts)]}:{web.port}/posts/{n}/")
        sources.append(OutgoingSource(f"{SITEURL}/p/{post}/", tuple(targets), "v1"))
    return sources


def write_site(folder: Path, sources, *, one_at_a_time: bool) -> Path:
    """A settings file and the link manifest its build would have written."""
    from beancan.webmention.manifest import MANIFEST_FILE, write_manifest

    folder.mkdir(parents=True)
    write_manifest(folder / "cache" / MANIFEST_FILE, sources)
    limits = "BEANCAN_CONCURRENCY = 1\nBEANCAN_PER_HOST_CONCURRENCY = 1\n" if one_at_a_time else ""
    path = folder / "pelicanconf.py"
    path.write_text(
        f"SITEURL = {SITEURL!r}\nSITENAME = 'Bench'\nAUTHOR = 'Bench'\nCACHE_PATH = 'cache'\n"
        "BEANCAN_DATA_DIR = 'data'\nBEANCAN_ALLOW_PRIVATE_ADDRESSES = True\n"
        f"BEANCAN_HTTP_TIMEOUT = 30.0\n{limits}"
    )
    return path


def timed_send(settings: Path, env: dict[str, str], expected: str) -> float:
    """Seconds for one ``beancan send --settings FILE`` in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "beancan.cli", "send", "--settings", str(settings)],
        cwd=settings.parent, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or expected not in last:
        raise RuntimeError(f"send did not report {expected!r}:\n{last}\n{done.stderr[-2000:]}")
    return seconds


def measure(links: int, hosts: int, pairs: int) -> dict[str, list[float]]:
    """``pairs`` rounds of first send (A), one at a time (B), re-send (C), alternating."""
    times: dict[str, list[float]] = {"first": [], "baseline": [], "second": []}
    with SlowHosts(hosts) as web, tempfile.TemporaryDirectory(prefix="bench-send-") as tmp:
        env = command_env(Path(tmp) / "pycache")
        subprocess.run([sys.executable, "-c", "import beancan.cli, beancan.webmention.cli"],
                       env=env, check=True)  # fmt: skip  # untimed: bytecode cached
        sources = workload(web, links)
        sent = f"{links} notification(s): {links} sent"
        for n in range(pairs):
            fast = write_site(Path(tmp) / f"fast-{n}", sources, one_at_a_time=False)
            serial = write_site(Path(tmp) / f"serial-{n}", sources, one_at_a_time=True)
            # Alternate which goes first, so drift in the machine's load hits both.
            order = ((fast, "first"), (serial, "baseline"))
            for settings, name in order if n % 2 == 0 else order[::-1]:
                times[name].append(timed_send(settings, env, sent))
            before = web.requests
            times["second"].append(timed_send(fast, env, "nothing to send"))
            assert web.requests == before, web.requests - before
    return times


def run(quick: bool = False, pairs: int | None = None) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    logging.getLogger("beancan").setLevel(logging.ERROR)
    links, hosts = (200, 20) if quick else (1000, 100)
    times = measure(links, hosts, pairs or (2 if quick else 5))
    ratios = [b / a for a, b in zip(times["first"], times["baseline"], strict=True)]
    label = f"{links:,} links, {hosts} hosts, {DELAY * 1000:.0f} ms each"
    return [
        {
            "workload": f"first send vs one at a time ({label})",
            "beancan": round(statistics.median(times["first"]), 3),
            "baseline": round(statistics.median(times["baseline"]), 3),
            "ratio": round(statistics.median(ratios), 2),
            "target": f">= {TARGET_SPEEDUP:g}x faster",
            "detail": f"A {summary(times['first'])}, B {summary(times['baseline'])}, "
            f"B/A per pair {min(ratios):.2f}-{max(ratios):.2f}",
        },
        {
            "workload": f"re-send, nothing changed ({links:,} links; 0 requests)",
            "beancan": round(statistics.median(times["second"]), 3),
            "baseline": TARGET_SECOND_SECONDS,
            "ratio": round(statistics.median(times["second"]) / TARGET_SECOND_SECONDS, 3),
            "target": "< 1 s and 0 requests",
            "detail": f"C {summary(times['second'])}",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 links across 20 hosts")
    parser.add_argument("--pairs", type=int, help="paired rounds (default 5)")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = run(quick=args.quick, pairs=args.pairs)
    print(f"{'workload':70} {'beancan':>9} {'baseline':>9} {'ratio':>7}  target")
    for row in rows:
        print(
            f"{row['workload']:70} {row['beancan']:9} {row['baseline']:9} "
            f"{row['ratio']:7}  {row['target']}"
        )
        print(f"    {row['detail']}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
