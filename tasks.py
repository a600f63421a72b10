"""Beancan's tasks: ``invoke --list``. Every task takes ``--settings FILE``.

Build and serve work offline from content/ and data/; collect and send are the
only tasks that use the network, and never run inside a build. collect, send,
moderate, forget, receiver and check are the ``beancan`` command's functions
(``beancan/cli.py``); the build tasks honour the settings file's OUTPUT_PATH.
"""

from __future__ import annotations

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
PYTHON = sys.executable


def _pelican_settings(settings: str) -> dict:
    from beancan.settings import load_settings_file

    os.chdir(ROOT)
    return load_settings_file(ROOT / settings)


def _output(settings: str) -> Path:
    """The settings file's OUTPUT_PATH (absolute: Pelican resolves it against the file)."""
    return Path(_pelican_settings(settings)["OUTPUT_PATH"])


def _pelican(c, settings: str, *extra: str) -> None:
    # No "content" or "-o": the settings file's PATH and OUTPUT_PATH decide.
    c.run(f"{PYTHON} -m pelican -s {settings} " + " ".join(extra), pty=False)


def _exit(status: int) -> None:
    if status:
        sys.exit(status)


def _log_warnings() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def build(c, settings=DEFAULT_SETTINGS):
    """Build the site into the settings' OUTPUT_PATH (output/) from content/ and data/ (offline)."""
    with c.cd(str(ROOT)):
        _pelican(c, settings)


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def rebuild(c, settings=DEFAULT_SETTINGS):
    """Delete the output folder and build from scratch."""
    clean(c, settings=settings)
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
    """Serve the output folder at http://127.0.0.1:8000 (plain local server; opens no browser)."""
    from beancan.serve import SiteHandler

    output = _output(settings)
    handler = functools.partial(SiteHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((host, int(port)), handler)
    print(f"Serving {output} at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
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


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def clean(c, settings=DEFAULT_SETTINGS):
    """Delete the output folder (the settings' OUTPUT_PATH)."""
    output = _output(settings)
    if output.exists():
        shutil.rmtree(output)


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
    """Collect responses (Webmention APIs, peer feeds, Mastodon and Bluesky) into data/."""
    from beancan.cli import collect_command

    _log_warnings()
    os.chdir(ROOT)
    _exit(collect_command(settings, full=full, strict=strict))


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
    from beancan.cli import send_command

    _log_warnings()
    os.chdir(ROOT)
    _exit(send_command(settings, url=url, dry_run=dry_run, strict=strict))


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
    from beancan.cli import moderate_command

    os.chdir(ROOT)
    status = moderate_command(
        settings, approve=approve or [], block=block or [], by=by, receiver=receiver
    )
    _exit(status)


@task(
    help={
        "settings": "Pelican settings file (default pelicanconf.py)",
        "host": "address to listen on (default 127.0.0.1)",
        "port": "port (default 8001)",
    }
)
def receiver(c, settings=DEFAULT_SETTINGS, host="127.0.0.1", port=8001):
    """Run Beancan's Webmention and pingback receiver (ASGI, under uvicorn)."""
    from beancan.cli import receiver_command

    os.chdir(ROOT)
    receiver_command(settings, host=host, port=int(port))


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def forget(c, url, settings=DEFAULT_SETTINGS):
    """Remove everything from one source or author URL, avatar included."""
    from beancan.cli import forget_command

    os.chdir(ROOT)
    _exit(forget_command(settings, url))


@task(help={"settings": "Pelican settings file (default pelicanconf.py)"})
def check(c, settings=DEFAULT_SETTINGS):
    """Check the settings and every data file; say what is wrong (beancan check)."""
    from beancan.check import check_command

    os.chdir(ROOT)
    _exit(check_command(settings))


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
