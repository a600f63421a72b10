"""Threading golden files: ``golden/threads/<case>.in.jsonl`` → ``<case>.thread.txt``.

Each input line is either an interaction (fed through ``make_interaction``
and the store's merge, so dedupe and updates apply as in production) or an
operation: ``{"op": "delete", "source": ..., "at": ...}``. The expected
output is the thread drawn as an outline. Regenerate after an intended
change with ``BEANCAN_REGOLD=1 pytest tests/test_threads.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from beancan.model import make_interaction
from beancan.store import InteractionStore
from beancan.threads import Thread, build_thread
from beancan.urls import SiteURLs

GOLDEN = Path(__file__).parent / "golden" / "threads"
CASES = sorted(p.name.removesuffix(".in.jsonl") for p in GOLDEN.glob("*.in.jsonl"))
SITE = SiteURLs("https://tamsin.example", ["https://www.tamsin.example", "http://127.0.0.1:8000"])
POST = "https://tamsin.example/2026/03/the-smile-is-free/"


def draw(thread: Thread) -> str:
    lines = [
        "counts: " + ", ".join(f"{k}={v}" for k, v in sorted(thread.counts.items()) if v),
    ]
    for kind, people in sorted(thread.reactions.items()):
        if people:
            lines.append(f"{kind}: " + ", ".join(i.author.name for i in people))
    for comment in thread.comments():
        i = comment.interaction
        note = (
            f"  (in reply to {comment.context_name or comment.context_url})"
            if (comment.context_url)
            else ""
        )
        author = " [author]" if comment.is_author else ""
        channels = "+".join(i.channels)
        lines.append(
            f"{'  ' * (comment.depth - 1)}- {i.author.name}{author}: {i.permalink} "
            f"<{channels}> {i.content_text[:40]!r}{note}"
        )
    for mention in thread.mentions:
        lines.append(f"mention: {mention.author.name} in {mention.name!r}")
    return "\n".join(lines) + "\n"


def run_case(case: str) -> str:
    store = InteractionStore(Path("unused"))
    max_depth = 6
    for number, line in enumerate((GOLDEN / f"{case}.in.jsonl").read_text().splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        op = record.pop("op", "add")
        if op == "settings":
            max_depth = record["max_depth"]
        elif op == "delete":
            store.delete_source(record["source"], record["at"])
        else:
            seen = record.pop("seen", f"2026-03-{number:02d}T00:00:00+00:00")
            record.setdefault("target", POST)
            record.setdefault("status", "approved")
            store.merge(make_interaction(**record), seen)
    author_keys = {SITE.identity("https://tamsin.example/")}
    thread = build_thread(
        {SITE.identity(POST)},
        [i for i in store.visible() if SITE.identity(i.target) == SITE.identity(POST)],
        max_depth=max_depth,
        is_author=lambda i: "own" in i.channels or SITE.identity(i.author.url) in author_keys,
        key_of=SITE.identity,
    )
    return draw(thread)


@pytest.mark.parametrize("case", CASES)
def test_golden_thread(case):
    expected_path = GOLDEN / f"{case}.thread.txt"
    actual = run_case(case)
    if os.environ.get("BEANCAN_REGOLD"):
        expected_path.write_text(actual)
    assert actual == expected_path.read_text()


def test_there_are_golden_cases():
    assert len(CASES) >= 9
