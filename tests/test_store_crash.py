"""Crash safety: a write killed midway leaves the old store intact."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from beancan.model import make_interaction
from beancan.store import STORE_FILE, InteractionStore

WRITER = r"""
import sys
from pathlib import Path
from beancan.model import make_interaction
from beancan.store import InteractionStore

store = InteractionStore.load(Path(sys.argv[1]))
for n in range(5000):
    store.merge(make_interaction(
        source=f"https://new{n}.example/reply", target="https://tamsin.example/p/",
        kind="reply", content_html="<p>" + "new content " * 40 + "</p>", status="approved"))
print("ready", flush=True)
while True:
    store.save()
"""


def _old_store(tmp_path) -> bytes:
    store = InteractionStore.load(tmp_path)
    for n in range(50):
        store.merge(
            make_interaction(
                source=f"https://old{n}.example/reply",
                target="https://tamsin.example/p/",
                kind="reply",
                content_html=f"<p>old {n}</p>",
                status="approved",
            )
        )
    store.save()
    return (tmp_path / STORE_FILE).read_bytes()


def test_killed_writer_leaves_old_or_new_store_never_half(tmp_path):
    old = _old_store(tmp_path)
    outcomes = set()
    for attempt in range(6):
        (tmp_path / STORE_FILE).write_bytes(old)
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout.readline().strip() == "ready"
        # Kill at a different point of the write each time.
        time.sleep(0.02 + attempt * 0.037)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        store = InteractionStore.load(tmp_path)
        assert len(store) in (50, 5050), len(store)
        outcomes.add(len(store))
        if len(store) == 50:
            assert (tmp_path / STORE_FILE).read_bytes() == old
    # Leftover temporary files are never mistaken for the store.
    assert all(p.name.startswith(".") for p in tmp_path.iterdir() if p.name != STORE_FILE)
