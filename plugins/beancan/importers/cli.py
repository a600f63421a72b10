"""``import wordpress|disqus EXPORT.xml``: the command line of the importers.

``add_parser`` plugs the command into any argparse command (the
``beancan`` console command); ``import_command`` is what both it and the
``invoke import-comments`` task run: a progress bar over the file's bytes,
then the summary table.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..errors import BeancanError
from .run import KINDS, ImportSummary, run_import

__all__ = ["add_parser", "import_command", "print_summary"]

DEFAULT_SETTINGS = "pelicanconf.py"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``import KIND EXPORT [--settings] [--dry-run] [--map FILE]`` to ``subparsers``."""
    parser = subparsers.add_parser(
        "import",
        help="import old comment threads from a WordPress or Disqus export",
        description="Import the comments of a WordPress (WXR) or Disqus export into data/, "
        "nested as they were, matched to the articles in the content folder.",
    )
    parser.add_argument("kind", choices=sorted(KINDS), help="what made the export")
    parser.add_argument("export", type=Path, help="the export file (XML)")
    parser.add_argument(
        "--settings",
        default=DEFAULT_SETTINGS,
        metavar="FILE",
        help=f"Pelican settings file (default {DEFAULT_SETTINGS})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be imported; change nothing"
    )
    parser.add_argument(
        "--map",
        dest="map_file",
        type=Path,
        help="file of 'OLD_URL ARTICLE' lines for posts whose slug and path changed",
    )
    parser.set_defaults(
        run=lambda args: import_command(
            args.settings, args.kind, args.export, dry_run=args.dry_run, map_file=args.map_file
        )
    )
    return parser


def import_command(
    settings: str, kind: str, export: Path, *, dry_run: bool = False, map_file: Path | None = None
) -> int:
    """Run one import with a progress bar and print its summary; the exit status."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    export = Path(export)
    try:
        total = export.stat().st_size
    except OSError:
        total = None  # run_import names the file in its error
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as progress:
        bar = progress.add_task(f"reading {export.name}", total=total)

        def advance(description: str, amount: int) -> None:
            progress.update(bar, description=description, advance=amount)

        try:
            summary = run_import(
                settings, kind, export, dry_run=dry_run, map_file=map_file, progress=advance
            )
        except BeancanError as exc:
            print(f"import: {exc}", file=sys.stderr)
            return 1
    print_summary(summary)
    return 0


def print_summary(summary: ImportSummary) -> None:
    """The summary as a table, then the unmatched posts."""
    from rich.console import Console
    from rich.table import Table

    title = f"{summary.kind} import of {summary.export}" + (" (dry run)" if summary.dry_run else "")
    table = Table(title=title)
    table.add_column("")
    table.add_column("count", justify="right")
    for what, count in summary.rows():
        table.add_row(what, count)
    console = Console(soft_wrap=True)
    console.print(table)
    if summary.unmatched:
        console.print("Unmatched posts (slug, old URL); add them to a --map file:", markup=False)
        for slug, url in summary.unmatched:
            console.print(f"  {slug or '-'}  {url or '-'}", markup=False, highlight=False)
    if summary.dry_run:
        console.print("Dry run: nothing was written.")
    elif not summary.saved:
        console.print("Nothing new: data/ is unchanged.")
