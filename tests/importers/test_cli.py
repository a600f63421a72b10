"""The command line: ``invoke import-comments`` (run for real) and ``add_parser``."""

from __future__ import annotations

import argparse
import subprocess
import sys

from beancan.importers import add_parser
from beancan.store import InteractionStore
from tests.sitebuild import ROOT

from .conftest import WXR


def _invoke(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "import-comments", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_invoke_task_imports_and_prints_the_summary_table(site):
    run = _invoke("wordpress", str(WXR), "--settings", str(site.settings))
    assert run.returncode == 0, run.stderr
    assert "posts matched" in run.stdout and "comments added, approved" in run.stdout
    assert "left-behind  http://oldblog.example/2008/11/left-behind/" in run.stdout
    assert len(InteractionStore.load(site.data)) == 9


def test_invoke_task_refuses_a_hostile_file_in_one_line(site, tmp_path):
    hostile = tmp_path / "x.xml"
    hostile.write_text('<!DOCTYPE x [<!ENTITY a "b">]><rss/>', encoding="utf-8")
    run = _invoke("wordpress", str(hostile), "--settings", str(site.settings))
    assert run.returncode == 1
    assert run.stderr == f"import: {hostile}: refused: the file declares a DOCTYPE " + (
        "(entity expansion and external entities are not allowed; WordPress and Disqus "
        "exports never have one)\n"
    )
    assert site.data_bytes() == {}


def test_add_parser_gives_the_import_subcommand(site, capsys):
    parser = argparse.ArgumentParser(prog="beancan")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(
        ["import", "wordpress", str(WXR), "--settings", str(site.settings), "--dry-run"]
    )
    assert (args.kind, args.export, args.dry_run, args.map_file) == ("wordpress", WXR, True, None)
    assert args.run(args) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert site.data_bytes() == {}
