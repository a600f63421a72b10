"""Issue 12, finding 4: ``invoke collect`` and ``invoke send`` exit 0 when they ran.

Real subprocesses of ``invoke`` with a real settings file, against a JF2 API
on 127.0.0.1 and a port nobody listens on.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from beancan.webmention.pingback import Outcome
from beancan.webmention.plan import Job
from beancan.webmention.send import SendReport
from tests.robustness.helpers import SITE, good_entry

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path, apis: list[str], **extra: object) -> Path:
    lines = [
        f"SITEURL = {SITE!r}",
        'SITENAME = "Test blog"',
        f"BEANCAN_DATA_DIR = {str(folder / 'data')!r}",
        "BEANCAN_ALLOW_PRIVATE_ADDRESSES = True",
        "BEANCAN_PEOPLE_FETCH_PER_RUN = 0",
        "BEANCAN_HTTP_TIMEOUT = 3",
        f"BEANCAN_WEBMENTION_APIS = {[{'url': u} for u in apis]!r}",
    ] + [f"{key} = {value!r}" for key, value in extra.items()]
    path = folder / "settings.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "invoke"), "-r", str(ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def down() -> str:
    return f"http://127.0.0.1:{closed_port()}/api/mentions.jf2"


def test_finding_4_collect_exits_0_when_one_source_failed(tmp_path, jf2, down):
    jf2.entries = [good_entry(1), good_entry(2)]
    settings = write_settings(tmp_path, [down, jf2.url()])
    done = invoke("collect", "--settings", str(settings))
    assert done.returncode == 0, done.stderr
    assert "FAILED: page 0: request failed" in done.stdout
    assert "1 source(s) failed" in done.stdout
    strict = invoke("collect", "--strict", "--settings", str(settings))
    assert strict.returncode == 1


def test_collect_exits_1_when_no_source_could_be_read(tmp_path, down):
    done = invoke("collect", "--settings", str(write_settings(tmp_path, [down])))
    assert done.returncode == 1


def test_collect_exits_1_on_a_bad_setting_naming_it(tmp_path, jf2):
    settings = write_settings(tmp_path, [jf2.url()], BEANCAN_FACEPILE_LIMIT=0)
    done = invoke("collect", "--settings", str(settings))
    assert done.returncode == 1 and "BEANCAN_FACEPILE_LIMIT has value 0" in done.stderr


def _report(*statuses: str) -> SendReport:
    jobs = [Job(f"{SITE}/a/", f"https://t{n}.example/", "d", "new") for n in range(len(statuses))]
    return SendReport(
        jobs=jobs, results=[(j, Outcome(s)) for j, s in zip(jobs, statuses, strict=True)]
    )


@pytest.mark.parametrize(
    ("statuses", "plain", "strict"),
    [
        (("sent", "sent"), 0, 0),
        (("sent", "retry", "no-endpoint"), 0, 1),
        (("retry", "gave-up"), 1, 1),
        ((), 0, 0),
    ],
)
def test_send_exit_status(statuses, plain, strict):
    report = _report(*statuses)
    assert (report.exit_code(), report.exit_code(strict=True)) == (plain, strict)
