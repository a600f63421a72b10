"""Durability: SIGKILL mid-queue loses nothing; a graceful stop re-queues in-flight work."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from beancan.receiver import create_app
from tests.receiver.conftest import SITE, Page, make_settings, send, wait_done

SETTINGS = """
SITEURL = {site!r}
SITENAME = "Crash test"
PATH = {content!r}
BEANCAN_DATA_DIR = {data!r}
BEANCAN_ALLOW_PRIVATE_ADDRESSES = True
BEANCAN_MODERATION = "open"
BEANCAN_RECEIVER_DATABASE = {database!r}
BEANCAN_RECEIVER_WORKERS = 2
BEANCAN_RECEIVER_CLAIM_SECONDS = 2.0
BEANCAN_RECEIVER_RATE_PER_IP = 100000
BEANCAN_RECEIVER_RATE_PER_DOMAIN = 100000
"""
COUNT = 40


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(settings_file, port: int) -> subprocess.Popen:
    log = settings_file.with_suffix(".log")
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "beancan.receiver", "--settings", str(settings_file),
             "--port", str(port), "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.05)


def _states(client: httpx.Client, locations: list[str]) -> list[str]:
    return [client.get(url).json()["status"] for url in locations]


@pytest.mark.slow
def test_sigkill_mid_queue_loses_no_mention(tmp_path, database, source_site):
    for n in range(COUNT):
        source_site.reply(f"/crash/{n}")
        source_site.pages[f"/crash/{n}"].delay = 0.1
    (tmp_path / "content").mkdir()
    settings_file = tmp_path / "settings.py"
    settings_file.write_text(
        SETTINGS.format(
            site=SITE,
            content=str(tmp_path / "content"),
            data=str(tmp_path / "data"),
            database=database,
        )
    )
    port = _port()
    process = _start(settings_file, port)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        try:
            locations = [
                send(client, source_site.url(f"/crash/{n}")).headers["location"]
                for n in range(COUNT)
            ]
            deadline = time.monotonic() + 20
            while _states(client, locations).count("verified") < 5:
                assert time.monotonic() < deadline, "nothing was verified"
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert len(set(source_site.requests)) < COUNT, "the queue was drained before the kill"
    process = _start(settings_file, port)
    try:
        with httpx.Client(timeout=10) as client:
            deadline = time.monotonic() + 30
            while (states := _states(client, locations)) != ["verified"] * COUNT:
                assert time.monotonic() < deadline, states
                time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        # uvicorn re-raises the signal once it has shut down cleanly.
        assert process.wait(timeout=20) in (0, -signal.SIGTERM)
    assert {f"/crash/{n}" for n in range(COUNT)} <= set(source_site.requests)


def test_a_graceful_stop_requeues_in_flight_verifications(
    tmp_path, database, running, source_site, monkeypatch
):
    source_site.reply("/slow")
    source_site.pages["/slow"].delay = 3.0
    settings = make_settings(tmp_path, database)
    receiver = running(create_app(settings))
    location = send(receiver.client, source_site.url("/slow")).headers["location"]
    deadline = time.monotonic() + 5
    while receiver.client.get(location).json()["status"] != "verifying":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    monkeypatch.setattr("beancan.receiver.verify.GRACE_SECONDS", 0.2)
    receiver.stop()
    again = running(create_app(make_settings(tmp_path, database, receiver_workers=0)))
    status = again.client.get(location.replace(receiver.base_url, again.base_url)).json()
    assert status["status"] == "queued"


def test_a_transient_failure_is_retried_then_verified(receiver, source_site, monkeypatch):
    monkeypatch.setattr("beancan.receiver.verify.RETRY_BASE_SECONDS", 0.3)
    client = receiver()
    source_site.pages["/flaky"] = Page(503, "busy")
    location = send(client, source_site.url("/flaky")).headers["location"]
    deadline = time.monotonic() + 5
    while source_site.requests.count("/flaky") < 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    source_site.reply("/flaky")
    assert wait_done(client, location)["status"] == "verified"
    assert source_site.requests.count("/flaky") == 2


def test_a_source_down_for_good_fails_after_the_last_attempt(receiver, source_site, monkeypatch):
    monkeypatch.setattr("beancan.receiver.verify.RETRY_BASE_SECONDS", 0.01)
    client = receiver(receiver_max_attempts=3)
    source_site.pages["/down"] = Page(502, "bad gateway")
    status = wait_done(client, send(client, source_site.url("/down")).headers["location"])
    assert status["status"] == "failed"
    assert status["message"] == (
        "We could not reach your page: the source answered 502 (gave up after 3 attempts)."
    )
    assert source_site.requests.count("/down") == 3
