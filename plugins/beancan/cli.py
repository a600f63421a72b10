"""The ``beancan`` command: collect, send, moderate, forget, receiver, check.

Works in any Pelican blog (``pip install beancan``), from the folder of its
settings file or with ``--settings FILE``. This repository's ``invoke``
tasks call the same ``*_command`` functions, so both print the same
progress bars and tables and exit the same way.

A subcommand is a function ``add_parser(subparsers)`` that adds its parser
and sets ``run`` (``args -> exit status``) as a default; a feature adds its
own with one line in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .check import check_command
from .errors import BeancanError
from .importers.cli import add_parser as add_import

__all__ = [
    "COMMANDS",
    "add_settings_option",
    "collect_command",
    "forget_command",
    "main",
    "moderate_command",
    "receiver_command",
    "send_command",
]

DEFAULT_SETTINGS = "pelicanconf.py"


def add_settings_option(parser: argparse.ArgumentParser) -> None:
    """The ``--settings FILE`` option every subcommand takes."""
    parser.add_argument(
        "--settings",
        default=DEFAULT_SETTINGS,
        metavar="FILE",
        help=f"Pelican settings file (default {DEFAULT_SETTINGS})",
    )


def _fail(command: str, message: str) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return 1


# --- collect -----------------------------------------------------------------------------


def collect_command(settings_file: str, *, full: bool = False, strict: bool = False) -> int:
    """Collect into the store with a progress bar, print one line per source; exit status."""
    from rich.progress import Progress

    from .collect import collect_all
    from .settings import BeancanSettings, load_settings_file

    try:
        config = BeancanSettings.from_pelican(load_settings_file(settings_file))
        with Progress(transient=True) as progress:
            bar = progress.add_task("collecting", total=None)

            def advance(description: str, amount: int) -> None:
                progress.update(bar, description=description, advance=amount)

            run = asyncio.run(collect_all(config, full_resync=full, progress=advance))
    except BeancanError as exc:
        return _fail("collect", str(exc))
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
    # README "Exit status": 0 when collect ran, whatever single sources did.
    return run.exit_code(strict)


def _add_collect(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "collect",
        help="collect responses (Webmention APIs, peer feeds, Mastodon and Bluesky copies)",
        description="Collect responses from Webmention APIs, peer feeds and the Mastodon "
        "and Bluesky copies of posts into the store.",
    )
    add_settings_option(parser)
    parser.add_argument(
        "--full", action="store_true", help="full re-sync: also find mentions that vanished"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit non-zero when any single source failed (default: only when none ran)",
    )
    parser.set_defaults(run=lambda a: collect_command(a.settings, full=a.full, strict=a.strict))


# --- send --------------------------------------------------------------------------------


def send_command(
    settings_file: str, *, url: str = "", dry_run: bool = False, strict: bool = False
) -> int:
    """Send Webmentions (pingback fallback), print the report; exit status."""
    from .settings import load_settings_file
    from .webmention.cli import run_send_report

    try:
        text, report = run_send_report(load_settings_file(settings_file), url=url, dry_run=dry_run)
    except BeancanError as exc:
        return _fail("send", str(exc))
    print(text)
    if report.failed:
        print(f"send: {report.failed} notification(s) failed; see the sent log (sent.jsonl)")
    # README "Exit status": 0 when send ran, whatever single targets did.
    return report.exit_code(strict)


def _add_send(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="send Webmentions (pingback fallback) for the site's outgoing links",
        description="Send Webmentions, with pingback as fallback, for every post's and "
        "page's outgoing links; the sent log makes it idempotent.",
    )
    add_settings_option(parser)
    parser.add_argument(
        "--url", default="", help="send for the links of this live page instead of the site"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be sent; send nothing"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit non-zero when any notification failed (default: only when none got out)",
    )
    parser.set_defaults(
        run=lambda a: send_command(a.settings, url=a.url, dry_run=a.dry_run, strict=a.strict)
    )


# --- moderate, forget --------------------------------------------------------------------


def moderate_command(
    settings_file: str,
    *,
    approve: Sequence[str] = (),
    block: Sequence[str] = (),
    by: str = "source",
    receiver: bool = False,
) -> int:
    """List what waits for moderation, or approve/block; exit status."""
    from .settings import BeancanSettings, load_settings_file
    from .store_decisions import run_moderation

    run = run_moderation
    if receiver:
        from .receiver.decisions import run_receiver_moderation as run
    try:
        settings = BeancanSettings.from_pelican(load_settings_file(settings_file))
        print(run(settings, list(approve), list(block), by))
    except BeancanError as exc:
        return _fail("moderate", str(exc))
    return 0


def _add_moderate(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "moderate",
        help="list what waits for moderation; approve or block",
        description="List what waits for moderation; approve or block by source URL, "
        "author URL or domain.",
    )
    add_settings_option(parser)
    parser.add_argument(
        "--approve",
        action="append",
        default=[],
        metavar="WHO",
        help="approve by source URL, author URL or domain (repeatable)",
    )
    parser.add_argument(
        "--block",
        action="append",
        default=[],
        metavar="WHO",
        help="block by source URL, author URL or domain (repeatable)",
    )
    parser.add_argument(
        "--by",
        choices=("source", "author", "domain"),
        default="source",
        help="what --approve/--block name (default source)",
    )
    parser.add_argument("--receiver", action="store_true",
                        help="act on the receiver's database instead of the store")  # fmt: skip
    parser.set_defaults(
        run=lambda a: moderate_command(
            a.settings, approve=a.approve, block=a.block, by=a.by, receiver=a.receiver
        )
    )


def forget_command(settings_file: str, url: str) -> int:
    """Remove everything from one source or author URL; exit status."""
    from .settings import BeancanSettings, load_settings_file
    from .store_decisions import forget_url

    try:
        print(forget_url(BeancanSettings.from_pelican(load_settings_file(settings_file)), url))
    except BeancanError as exc:
        return _fail("forget", str(exc))
    return 0


def _add_forget(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "forget",
        help="remove everything from one source or author URL, avatar included",
        description="Remove everything from one source or author URL, avatar included.",
    )
    add_settings_option(parser)
    parser.add_argument("url", help="the source or author URL to forget")
    parser.set_defaults(run=lambda a: forget_command(a.settings, a.url))


# --- receiver ----------------------------------------------------------------------------


def receiver_command(settings_file: str, *, host: str, port: int, extra: Sequence[str] = ()):
    """Run the receiver under uvicorn until stopped (``beancan-receiver``)."""
    from .receiver.__main__ import main as receiver_main

    receiver_main(["--settings", settings_file, "--host", host, "--port", str(port), *extra])
    return 0


def _add_receiver(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "receiver",
        help="run the Webmention and pingback receiver (ASGI, uvicorn)",
        description="Run Beancan's Webmention and pingback receiver; collect pulls from its "
        "JF2 API like from any hosted endpoint.",
    )
    add_settings_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    parser.add_argument(
        "--no-worker", action="store_true", help="serve HTTP only; other processes verify"
    )
    parser.add_argument("--worker-only", action="store_true",
                        help="verify only (PostgreSQL), no HTTP port")  # fmt: skip
    parser.set_defaults(
        run=lambda a: receiver_command(
            a.settings,
            host=a.host,
            port=a.port,
            extra=[
                f
                for f, on in (("--no-worker", a.no_worker), ("--worker-only", a.worker_only))
                if on
            ],
        )  # fmt: skip
    )


# --- check -------------------------------------------------------------------------------


def _add_check(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check the settings and the stored data; say what is wrong",
        description="Check the settings (every BEANCAN_ key, PLUGINS) and every data file; "
        "exit non-zero if anything is wrong.",
    )
    add_settings_option(parser)
    parser.set_defaults(run=lambda a: check_command(a.settings))


#: Every subcommand, in ``--help`` order: ``add_parser(subparsers)``.
COMMANDS: list[Callable[[Any], None]] = [
    _add_collect,
    _add_send,
    _add_moderate,
    _add_forget,
    _add_receiver,
    _add_check,
    add_import,
]


def build_parser() -> argparse.ArgumentParser:
    """The ``beancan`` parser with every subcommand of ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="beancan",
        description="Beancan: gather the conversation around a Pelican blog's posts.",
    )
    parser.add_argument("--version", action="version", version=f"beancan {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_parser in COMMANDS:
        add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``beancan`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover - python -m beancan.cli
    sys.exit(main())
