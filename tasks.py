"""Beancan's tasks: ``invoke --list``. Every task takes ``--settings FILE``.

Build and serve work offline from content/ and data/; collect and send are the
only tasks that use the network, and never run inside a build.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
DEFAULT_SETTINGS = "pelicanconf.py"
PRODUCTION_SETTINGS = "publishconf.py"
OUTPUT = ROOT / "output"
PYTHON = sys.executable


def _pelican_settings(settings: str) -> dict:
    from beancan.settings import load_settings_file

    os.chdir(ROOT)
    return load_settings_file(ROOT / settings)


def _beancan_settings(settings: str):
    from beancan.settings import BeancanSettings

    return BeancanSettings.from_pelican(_pelican_settings(settings))


def _pelican(c, settings: str, *extra: str) -> None:
    c.run(f"{PYTHON} -m pelican content -s {settings} -o {OUTPUT} " + " ".join(extra), pty=False)


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def build(c, settings=DEFAULT_SETTINGS):
    """Build the site into output/ from content/ and data/ (offline)."""
    with c.cd(str(ROOT)):
        _pelican(c, settings)


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def rebuild(c, settings=DEFAULT_SETTINGS):
    """Delete output/ and build from scratch."""
    clean(c)
    build(c, settings=settings)


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def regenerate(c, settings=DEFAULT_SETTINGS):
    """Watch content/, theme/ and data/ and rebuild on every change."""
    with c.cd(str(ROOT)):
        _pelican(c, settings, "--autoreload")


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "host": "address to listen on (default 127.0.0.1)",
        "port": "port (default 8000)",
    }
)
def serve(c, settings=DEFAULT_SETTINGS, host="127.0.0.1", port=8000):
    """Serve output/ at http://127.0.0.1:8000 (plain local server; opens no browser)."""
    from beancan.serve import SiteHandler

    handler = functools.partial(SiteHandler, directory=str(OUTPUT))
    server = http.server.ThreadingHTTPServer((host, int(port)), handler)
    print(f"Serving {OUTPUT} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def demo(c, settings=DEFAULT_SETTINGS):
    """Build the demo, run its receiver on 127.0.0.1:8001, serve the site at 127.0.0.1:8000."""
    build(c, settings=settings)
    # The demo's reply forms post to this receiver (BEANCAN_WEBMENTION_ENDPOINT).
    command = [PYTHON, "-m", "beancan.receiver", "--settings", settings, "--port", "8001"]
    receiver_process = subprocess.Popen(command, cwd=ROOT)
    try:
        serve(c, settings=settings)
    finally:
        receiver_process.terminate()
        receiver_process.wait(timeout=15)


@task
def clean(c):
    """Delete output/."""
    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)


@task(help={"settings": "Pelican settings file (default publishconf.py)"})
def publish(c, settings=PRODUCTION_SETTINGS):
    """Build the site for production with publishconf.py."""
    with c.cd(str(ROOT)):
        _pelican(c, settings)


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "full": "full re-sync: also find mentions that vanished from the APIs",
        "strict": "exit non-zero when any single source failed (default: only when none ran)",
    }
)
def collect(c, settings=DEFAULT_SETTINGS, full=False, strict=False):
    """Collect responses (Webmention APIs, peer feeds) into the store in data/."""
    from rich.progress import Progress

    from beancan.collect import collect_all
    from beancan.errors import BeancanError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    config = _beancan_settings(settings)
    with Progress(transient=True) as progress:
        bar = progress.add_task("collecting", total=None)

        def advance(description: str, amount: int) -> None:
            progress.update(bar, description=description, advance=amount)

        try:
            run = asyncio.run(collect_all(config, full_resync=full, progress=advance))
        except BeancanError as exc:
            sys.exit(f"collect: {exc}")
    print(f"{'source':50} {'new':>5} {'upd':>5} {'del':>5} {'skip':>5}  status")
    for report in run:
        status = f"FAILED: {report.failed}" if report.failed else "ok"
        counts = f"{report.new:5} {report.updated:5} {report.deleted:5} {report.skipped.total():5}"
        print(f"{report.source[:50]:50} {counts}  {status}")
        if report.skipped:
            causes = ", ".join(f"{n} {cause}" for cause, n in sorted(report.skipped.items()))
            print(f"{'':50} skipped: {causes}")
    if run.failed:
        print(f"collect: {len(run.failed)} source(s) failed; the store kept what it had")
    if code := run.exit_code(strict):
        sys.exit(code)


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "url": "send for the links found on this live page instead of the whole site",
        "dry_run": "list what would be sent; send nothing, change nothing",
        "strict": "exit non-zero when any notification failed (default: only when none got out)",
    }
)
def send(c, settings=DEFAULT_SETTINGS, url="", dry_run=False, strict=False):
    """Send Webmentions (pingback fallback) for every post's and page's outgoing links."""
    from beancan.errors import BeancanError
    from beancan.webmention.cli import run_send_report

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        text, report = run_send_report(_pelican_settings(settings), url=url, dry_run=dry_run)
    except BeancanError as exc:
        sys.exit(f"send: {exc}")
    print(text)
    if report.failed:
        print(f"send: {report.failed} notification(s) failed; see data/sent.jsonl")
    if code := report.exit_code(strict):
        sys.exit(code)


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "approve": "approve by source URL, author URL or domain (repeatable)",
        "block": "block by source URL, author URL or domain (repeatable)",
        "by": "what --approve/--block name: source, author or domain (default source)",
        "receiver": "act on the receiver's database instead of data/ (beancan.receiver)",
    },
    iterable=["approve", "block"],
)
def moderate(c, settings=DEFAULT_SETTINGS, approve=None, block=None, by="source", receiver=False):
    """List what waits for moderation; approve or block by source, author or domain."""
    from beancan.errors import BeancanError
    from beancan.moderate import run_moderation

    run = run_moderation
    if receiver:
        from beancan.receiver.moderate import run_receiver_moderation as run
    try:
        print(run(_beancan_settings(settings), approve or [], block or [], by))
    except BeancanError as exc:
        sys.exit(f"moderate: {exc}")


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "host": "address to listen on (default 127.0.0.1)",
        "port": "port (default 8001)",
    }
)
def receiver(c, settings=DEFAULT_SETTINGS, host="127.0.0.1", port=8001):
    """Run Beancan's Webmention and pingback receiver (ASGI, under uvicorn)."""
    from beancan.receiver.__main__ import main

    os.chdir(ROOT)
    main(["--settings", settings, "--host", host, "--port", str(port)])


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def forget(c, url, settings=DEFAULT_SETTINGS):
    """Remove everything from one source or author URL, avatar included."""
    from beancan.errors import BeancanError
    from beancan.moderate import forget_url

    try:
        print(forget_url(_beancan_settings(settings), url))
    except BeancanError as exc:
        sys.exit(f"forget: {exc}")


@task(
    help={
        "kind": "wordpress or disqus",
        "export": "the export file (WordPress WXR or Disqus XML)",
        "settings": "Pelican settings file (default pelicanconf.py)",
        "dry_run": "say what would be imported; change nothing",
        "map": "file of 'OLD_URL ARTICLE' lines for posts whose slug and path changed",
    },
    positional=["kind", "export"],
)
# ``map`` (not map_file) so the option is --map, as in ``beancan import``.
def import_comments(c, kind, export, settings=DEFAULT_SETTINGS, dry_run=False, map=""):
    """Import old comment threads from a WordPress or Disqus export into data/."""
    from beancan.importers.cli import import_command

    export_path = Path(export).resolve()  # before _pelican_settings moves to the project
    map_path = Path(map).resolve() if map else None
    os.chdir(ROOT)
    status = import_command(settings, kind, export_path, dry_run=dry_run, map_file=map_path)
    if status:
        sys.exit(status)


@task
def lint(c):
    """ruff check and ruff format --check."""
    with c.cd(str(ROOT)):
        c.run(f"{PYTHON} -m ruff check .")
        c.run(f"{PYTHON} -m ruff format --check .")


@task(pre=[lint])
def test(c):
    """Lint, then every test (pytest)."""
    with c.cd(str(ROOT)):
        c.run(f"{PYTHON} -m pytest")


@task(
    help={
        "quick": "smaller workloads: minutes, not tens of minutes",
        "only": "run only the bench/bench_*.py modules whose name contains this",
        "json": "also write the figures, date and machine to this JSON file",
    }
)
def bench(c, quick=False, only="", json=""):
    """Run every benchmark in bench/ and print one table (never fails)."""
    options = (" --quick" if quick else "") + (f" --only {only}" if only else "")
    options += f" --json {json}" if json else ""
    with c.cd(str(ROOT)):
        c.run(f"{PYTHON} bench/run_all.py{options}", warn=True, pty=False)
