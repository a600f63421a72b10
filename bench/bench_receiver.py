"""Receiver benchmark: accepted Webmentions per second, and draining the verification queue.

    .venv/bin/python bench/bench_receiver.py [--quick]

Workloads, on SQLite and on PostgreSQL (a temporary cluster on 127.0.0.1
when the server binaries are installed):

* accept: the receiver (uvicorn, HTTP side only) under a closed-loop load
  of ``CONNECTIONS`` keep-alive connections from a separate process (async
  httpx) for 30 s; reports accepted/s and the p99 latency. Baseline: a bare
  Starlette route answering 202 under the same server and load.
* drain: 1,000 queued mentions whose sources live on a local peer; a worker
  process verifies them all. Baseline: the same 1,000 fetches through the
  same hardened client with no parsing or storage.

``run(quick=False)`` returns rows {workload, beancan, baseline, ratio, target}.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SITE = "https://site.example"
TARGET = f"{SITE}/2026/01/a-post/"
CONNECTIONS = 32
DRAIN_COUNT = 1000
SETTINGS = """
SITEURL = {site!r}
SITENAME = "bench"
PATH = {tmp!r}
BEANCAN_DATA_DIR = {tmp!r}
BEANCAN_ALLOW_PRIVATE_ADDRESSES = True
BEANCAN_MODERATION = "open"
BEANCAN_RECEIVER_DATABASE = {database!r}
BEANCAN_RECEIVER_WORKERS = 32
BEANCAN_PER_HOST_CONCURRENCY = 16
BEANCAN_RECEIVER_MAX_QUEUE = 10000000
BEANCAN_RECEIVER_RATE_PER_IP = 100000000
BEANCAN_RECEIVER_RATE_PER_DOMAIN = 100000000
"""
BASELINE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def webmention(request):
    await request.body()
    return JSONResponse({"status": "queued"}, 202, {"Location": "/webmention/status/x"})

app = Starlette(routes=[Route("/webmention", webmention, methods=["POST"])])
"""
PEER_APP = """
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

PAGE = ('<!doctype html><title>r</title><article class="h-entry">'
        '<a class="u-in-reply-to" href="{target}">re</a>'
        '<a class="p-author h-card" href="https://peer.example/">Peer</a>'
        '<div class="e-content"><p>Reply number {{n}}</p></div>'
        '<time class="dt-published" datetime="2026-01-01T00:00:00Z">x</time></article>')

async def reply(request):
    return HTMLResponse(PAGE.format(n=request.path_params["n"]))

app = Starlette(routes=[Route("/r/{{n}}", reply)])
"""


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server on port {port} did not start") from None
            time.sleep(0.05)


@contextmanager
def _process(args: list[str], port: int | None = None, **kwargs) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, **kwargs)
    try:
        if port is not None:
            _wait_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _uvicorn_app(module_dir: Path, module: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", f"{module}:app", "--app-dir", str(module_dir),
            "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip


# --- the load generator (runs in its own process)


async def _load(url: str, seconds: float, connections: int) -> dict:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: dict[str, int] = {}
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def user(number: int) -> None:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                form = {"source": f"https://peer{number}.example/r/{n}", "target": TARGET}
                began = time.perf_counter()
                try:
                    response = await client.post(url, data=form)
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - began)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(connections)))
        elapsed = time.monotonic() - began
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0
    return {"accepted": statuses.get(202, 0), "seconds": elapsed, "p99": p99,
            "statuses": statuses, "errors": errors}  # fmt: skip


WRK_SCRIPT = """
local counter, thread_id, next_id = 0, 0, 0
function setup(thread) thread:set("thread_id", next_id); next_id = next_id + 1 end
function request()
  counter = counter + 1
  local body = "source=https%3A%2F%2Fpeer" .. thread_id .. "-" .. (counter % 997)
    .. ".example%2Fr%2F" .. counter .. "&target=" .. TARGET
  return wrk.format("POST", "/webmention",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JSON {\\"accepted\\": %d, \\"seconds\\": %f, \\"p99\\": %f}\\n",
    summary.requests - e.status - e.connect - e.read - e.write - e.timeout,
    summary.duration / 1e6, latency:percentile(99) / 1e6))
end
"""


def _run_load(url: str, seconds: float) -> dict:
    """Closed-loop load: wrk when installed (C, light), else async httpx in a process."""
    wrk = shutil.which("wrk")
    if wrk:
        from urllib.parse import quote

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(f"TARGET = {quote(TARGET, safe='')!r}\n" + WRK_SCRIPT)
        try:
            out = subprocess.run(
                [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", script.name,
                 url.rsplit("/", 1)[0] + "/"],
                capture_output=True, text=True,
            )  # fmt: skip
        finally:
            os.unlink(script.name)
        line = next((x for x in out.stdout.splitlines() if x.startswith("JSON ")), "")
        if not line:
            raise RuntimeError(f"wrk failed: {out.stdout[-1000:]} {out.stderr[-1000:]}")
        return {**json.loads(line[5:]), "generator": "wrk"}
    here = str(Path(__file__).parent)
    code = (
        f"import asyncio, json, sys; sys.path.insert(0, {here!r}); import bench_receiver as b; "
        f"print(json.dumps(asyncio.run(b._load({url!r}, {seconds!r}, {CONNECTIONS!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"the load generator failed: {out.stderr[-2000:]}")
    return {**json.loads(out.stdout), "generator": "httpx"}


# --- workloads


def _settings_file(tmp: Path, database: str) -> Path:
    path = tmp / "settings.py"
    path.write_text(SETTINGS.format(site=SITE, tmp=str(tmp), database=database))
    return path


def accept_rate(tmp: Path, database: str, seconds: float) -> tuple[dict, dict]:
    """(beancan, baseline) load results."""
    settings = _settings_file(tmp, database)
    port = _port()
    command = [sys.executable, "-m", "beancan.receiver", "--settings", str(settings),
               "--port", str(port), "--no-worker", "--log-level", "warning"]  # fmt: skip
    with _process(command, port, cwd=tmp):
        ours = _run_load(f"http://127.0.0.1:{port}/webmention", seconds)
    (tmp / "baseline_app.py").write_text(BASELINE_APP)
    port = _port()
    with _process(_uvicorn_app(tmp, "baseline_app", port), port):
        base = _run_load(f"http://127.0.0.1:{port}/webmention", seconds)
    return ours, base


async def _enqueue(database: str, peer: str, count: int) -> None:
    from beancan.receiver.backends import open_storage

    store = open_storage(database)
    await store.open()
    try:
        for n in range(count):
            source = f"{peer}/r/{n}"
            keys = (source.split("://")[1], "@site/2026/01/a-post", "127.0.0.1", "site.example")
            await store.enqueue(keys, source, TARGET, "webmention", "127.0.0.1")
    finally:
        await store.close()


async def _queue_left(database: str) -> int:
    from beancan.receiver.backends import open_storage

    store = open_storage(database)
    await store.open()
    try:
        return await store.queue_length()
    finally:
        await store.close()


async def _fetch_all(peer: str, count: int) -> float:
    from beancan.http import HttpClient

    began = time.perf_counter()
    async with HttpClient(user_agent="bench", allow_private=True, concurrency=32,
                          per_host=16) as http:  # fmt: skip
        await asyncio.gather(*(http.get(f"{peer}/r/{n}") for n in range(count)))
    return time.perf_counter() - began


def drain_time(tmp: Path, database: str, count: int) -> tuple[float, float]:
    """(beancan, baseline) seconds to verify ``count`` queued mentions."""
    (tmp / "peer_app.py").write_text(PEER_APP.format(target=TARGET))
    peer_port = _port()
    peer = f"http://127.0.0.1:{peer_port}"
    settings = _settings_file(tmp, database)
    with _process(_uvicorn_app(tmp, "peer_app", peer_port), peer_port):
        asyncio.run(_enqueue(database, peer, count))
        command = [sys.executable, "-m", "beancan.receiver", "--settings", str(settings),
                   "--worker-only", "--log-level", "warning"]  # fmt: skip
        began = time.perf_counter()
        with _process(command, cwd=tmp):
            while asyncio.run(_queue_left(database)) and time.perf_counter() - began < 120:
                time.sleep(0.1)
            ours = time.perf_counter() - began
        base = asyncio.run(_fetch_all(peer, count))
    return ours, base


@contextmanager
def temporary_postgres() -> Iterator[str | None]:
    """A PostgreSQL cluster on 127.0.0.1 for the benchmark, or None without the binaries."""
    if not (PG_BIN / "initdb").is_file():
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="beancan-bench-pg-"))
    run_as = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _port()

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, timeout=120)

    pg(str(PG_BIN / "initdb"), "-D", str(root / "data"), "-A", "trust", "-U", "postgres")
    pg(str(PG_BIN / "pg_ctl"), "-D", str(root / "data"), "-w", "-l", str(root / "log"), "-o",
       f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start")  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        pg(str(PG_BIN / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _fresh_database(database: str) -> str:
    """An empty database beside ``database``: the drain must not inherit the accept rows."""
    if "://" not in database:
        return database + "-drain"
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CREATE DATABASE drain")
    return database.rsplit("/", 1)[0] + "/drain"


def _rows(name: str, tmp: Path, database: str, seconds: float, count: int) -> list[dict]:
    ours, base = accept_rate(tmp, database, seconds)
    rate, base_rate = ours["accepted"] / ours["seconds"], base["accepted"] / base["seconds"]
    drained, fetched = drain_time(tmp, _fresh_database(database), count)
    return [
        {"workload": f"accepted Webmentions/s ({name}, {seconds:g} s)", "beancan": round(rate),
         "baseline": round(base_rate), "ratio": round(rate / base_rate, 2), "target": ">= 1000"},
        {"workload": f"p99 accept latency ms ({name})", "beancan": round(ours["p99"] * 1000, 1),
         "baseline": round(base["p99"] * 1000, 1),
         "ratio": round(ours["p99"] / base["p99"], 2), "target": "< 100"},
        {"workload": f"drain {count} verifications s ({name})", "beancan": round(drained, 2),
         "baseline": round(fetched, 2), "ratio": round(drained / fetched, 2),
         "target": "<= 15"},
    ]  # fmt: skip


def run(quick: bool = False) -> list[dict]:
    """Every workload; ``quick`` runs a few seconds each (for CI smoke runs)."""
    seconds, count = (3.0, 200) if quick else (30.0, DRAIN_COUNT)
    rows = []
    with tempfile.TemporaryDirectory(prefix="beancan-bench-") as tmp:
        rows += _rows("SQLite", Path(tmp), str(Path(tmp) / "receiver.sqlite3"), seconds, count)
    with temporary_postgres() as url, tempfile.TemporaryDirectory() as tmp:
        if url:
            rows += _rows("PostgreSQL", Path(tmp), url, seconds, count)
    return rows


def main() -> None:
    rows = run(quick="--quick" in sys.argv)
    print(f"{'workload':48} {'beancan':>9} {'baseline':>9} {'ratio':>6}  target")
    for row in rows:
        print(f"{row['workload']:48} {row['beancan']:>9} {row['baseline']:>9} "
              f"{row['ratio']:>6}  {row['target']}")  # fmt: skip


if __name__ == "__main__":
    main()
