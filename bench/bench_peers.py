"""Benchmark of ``beancan collect`` over peer feeds: 200 feeds on 200 hosts, 50 ms each.

What a user pays: the real command (``python -m beancan.cli collect
--settings FILE``, what ``invoke collect`` calls) in a fresh process, so
interpreter start-up, imports, reading the settings file and the store are
all inside the figure.

The 200 hosts are 200 loopback addresses (127.0.0.2, 127.0.0.3, ...) on one
port, served by one asyncio HTTP/1.1 server in a process of its own. Each
address is a host of its own to the client, as on the internet, so the
per-host limit (2 requests at once) applies per peer, not to all of them.
Every answer (200 or 304) comes after 50 ms. Each feed is RSS 2.0 with 10
items, 2 of which link one of our posts; no comment feeds, and
``BEANCAN_PEER_PAGE_CHECKS`` at its default (0): one request per peer.

Paired rounds, alternating:

* A: first collect into an empty data folder, against
  B: a one-at-a-time ``feedparser.parse(url)`` loop over the same feeds
  (in this process, feedparser already imported). Target: B / A >= 6.
* C: the same command again with nothing changed: every feed answers 304
  (counted by the server). Target: under 1.5 s.

Run ``python bench/bench_peers.py [--quick] [--pairs N]`` (quick: 40 peers,
3 pairs); ``run()`` returns the rows for ``invoke bench``.
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


class SlowFeeds(LoopbackHosts):
    """One feed per loopback address; every answer after ``DELAY``; ETag + 304."""

    def __init__(self, peers: int) -> None:
        super().__init__(peers)
        self.ok = self.context.Value("i", 0)  # 200 answers
        self.not_modified = self.context.Value("i", 0)  # 304 answers
        self.feeds = {host: feed_xml(n) for n, host in enumerate(self.hosts)}

    @property
    def urls(self) -> list[str]:
        return [f"http://{host}:{self.port}/feed.xml" for host in self.hosts]

    def reset(self) -> None:
        with self.ok.get_lock(), self.not_modified.get_lock():
            self.ok.value = self.not_modified.value = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        body, etag = self.feeds[host], f'"feed-{host}"'.encode()
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


def write_settings(folder: Path, urls: list[str]) -> Path:
    """A Pelican settings file naming every feed as a peer; data in ``folder/data``."""
    peers = [
        {"name": f"Peer {n}", "url": url.removesuffix("feed.xml"), "feed": url}
        for n, url in enumerate(urls)
    ]
    path = folder / "pelicanconf.py"
    path.write_text(
        f"SITEURL = {SITEURL!r}\nSITENAME = 'Bench'\nAUTHOR = 'Bench'\n"
        f"BEANCAN_PEERS = {peers!r}\nBEANCAN_DATA_DIR = 'data'\n"
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES = True\nBEANCAN_HTTP_TIMEOUT = 30.0\n"
    )
    return path


def warm_up(env: dict[str, str]) -> None:
    """Import every module collect uses once, untimed, so their bytecode is cached."""
    code = "import beancan.cli, beancan.collect; beancan.collect.registered_collectors()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def timed_collect(settings: Path, env: dict[str, str]) -> float:
    """Seconds for one ``beancan collect --settings FILE`` in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "beancan.cli", "collect", "--settings", str(settings)],
        cwd=settings.parent, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0 or "FAILED" in done.stdout:
        raise RuntimeError(f"collect failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def timed_baseline(urls: list[str]) -> float:
    import feedparser

    start = time.perf_counter()
    entries = sum(len(feedparser.parse(url).entries) for url in urls)
    seconds = time.perf_counter() - start
    assert entries == 10 * len(urls), entries
    return seconds


def _stored(folder: Path) -> int:
    with (folder / "data" / "interactions.jsonl").open() as lines:
        return sum(1 for line in lines if '"source"' in line)


def measure(count: int, pairs: int) -> dict[str, list[float]]:
    """``pairs`` rounds of first collect (A), baseline (B), re-collect (C), alternating."""
    import feedparser  # noqa: F401 - the baseline's import is not timed

    times: dict[str, list[float]] = {"first": [], "baseline": [], "second": []}
    with SlowFeeds(count) as web, tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        env = command_env(Path(tmp) / "pycache")
        warm_up(env)
        for n in range(pairs):
            folder = Path(tmp) / f"round-{n}"
            folder.mkdir()
            settings = write_settings(folder, web.urls)
            # Alternate which goes first, so drift in the machine's load hits both.
            order = ("first", "baseline") if n % 2 == 0 else ("baseline", "first")
            for name in order:
                if name == "first":
                    web.reset()
                    times["first"].append(timed_collect(settings, env))
                    assert (web.ok.value, web.not_modified.value) == (count, 0)
                    assert _stored(folder) == 2 * count, _stored(folder)
                else:
                    times["baseline"].append(timed_baseline(web.urls))
            web.reset()
            times["second"].append(timed_collect(settings, env))
            assert (web.ok.value, web.not_modified.value) == (0, count)
    return times


def run(quick: bool = False, pairs: int | None = None) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    logging.getLogger("beancan").setLevel(logging.ERROR)
    count = 40 if quick else 200
    times = measure(count, pairs or (3 if quick else 5))
    ratios = [b / a for a, b in zip(times["first"], times["baseline"], strict=True)]
    label = f"{count} feeds on {count} hosts, {DELAY * 1000:.0f} ms each"
    return [
        {
            "workload": f"first collect vs feedparser.parse one at a time ({label})",
            "beancan": round(statistics.median(times["first"]), 3),
            "baseline": round(statistics.median(times["baseline"]), 3),
            "ratio": round(statistics.median(ratios), 2),
            "target": f">= {TARGET_SPEEDUP:g}x faster",
            "detail": f"A {summary(times['first'])}, B {summary(times['baseline'])}, "
            f"B/A per pair {min(ratios):.2f}-{max(ratios):.2f}",
        },
        {
            "workload": f"re-collect, nothing changed ({count} answers 304)",
            "beancan": round(statistics.median(times["second"]), 3),
            "baseline": TARGET_SECOND_SECONDS,
            "ratio": round(statistics.median(times["second"]) / TARGET_SECOND_SECONDS, 3),
            "target": f"< {TARGET_SECOND_SECONDS:g} s, 304s only",
            "detail": f"C {summary(times['second'])}",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 peer feeds, 3 pairs")
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
