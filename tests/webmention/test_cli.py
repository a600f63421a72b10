"""``invoke send --url URL [--dry-run]``: the task, end to end, against local servers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from beancan.webmention.cli import run_send
from beancan.webmention.sentlog import SentLog

from .conftest import Reply, Server

ROOT = Path(__file__).resolve().parents[2]


def serve_note(server: Server) -> tuple[str, str]:
    target = server.url("/their/post")
    server.routes["/their/post"] = Reply(200, '<link rel="webmention" href="/wm">')
    server.routes["/wm"] = Reply(201, "", [("Location", "/wm/1")])
    server.routes["/my/note"] = Reply(
        200,
        f'<div class="h-entry"><div class="e-content"><a href="{target}">you</a></div></div>',
    )
    return server.url("/my/note"), target


def pelican_settings(data_dir: Path) -> dict:
    return {
        "SITEURL": "https://blog.example",
        "BEANCAN_DATA_DIR": str(data_dir),
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES": True,
    }


def test_send_url_then_again(server: Server, tmp_path: Path) -> None:
    note, target = serve_note(server)
    text, failed = run_send(pelican_settings(tmp_path), url=note)
    assert failed == 0
    assert text.splitlines() == [
        f"sent        new      {note} -> {target}  {server.url('/wm/1')}",
        "1 notification(s): 1 sent",
    ]
    assert SentLog.load(tmp_path).get(note, target).origin == "page"
    text, _ = run_send(pelican_settings(tmp_path), url=note)
    assert text == "send: nothing to send (the sent log is up to date)"


def test_invoke_send_dry_run(server: Server, tmp_path: Path) -> None:
    note, target = serve_note(server)
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"SITEURL = 'https://blog.example'\nBEANCAN_DATA_DIR = {str(tmp_path / 'data')!r}\n"
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES = True\n"
    )
    invoke = [sys.executable, "-m", "invoke", "send", "--settings", str(conf), "--url", note]
    done = subprocess.run(
        [*invoke, "--dry-run"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"would send (new): {note} -> {target}",
        "1 notification(s) would be sent (dry run)",
    ]
    assert server.hits("/wm") == [] and not (tmp_path / "data" / "sent.jsonl").exists()
