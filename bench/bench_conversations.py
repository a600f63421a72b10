"""Benchmark of the conversations plugin on a big synthetic community.

5,000 people and 100,000 interactions (quick: 500 and 10,000) on a small
site. Real Pelican builds of the same site and store, side by side: the
plain build (``beancan.site`` + ``beancan.comments``) and the same with
``beancan.conversations``; the difference is the price of the graph, the
conversations and all their pages (target: under 3 s). Both run as they do
by default, Beancan's work in a second process beside Pelican's; the pair
is built again with ``BEANCAN_BACKGROUND = False`` (all in one process, what
a one-CPU machine gets) for comparison. The machine drifts by a fifth and
more within minutes, so the builds go in rounds, each pair back to back in
a rotating order, and the median of five rounds' differences counts. The
time the plugin holds up the build itself (waiting for the graph, writing
the pages) is timed directly, and the size of the drawing is checked.

Run ``python bench/bench_conversations.py [--quick]``; ``run()`` returns
the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scratch import scratch_dir  # noqa: E402

SITEURL = "https://bench.example"
SEED = 20260316

TARGET_SECONDS = 3.0
#: rounds of one build of each kind; the median of the rounds' differences counts.
ROUNDS = 5
TARGET_SVG_KB = 300.0
KINDS = ("reply",) * 40 + ("like",) * 35 + ("repost",) * 10 + ("bookmark",) * 5 + ("mention",) * 10


def _post_url(date: datetime, slug: str) -> str:
    return f"{SITEURL}/{date:%Y}/{date:%m}/{slug}/"


def make_site(folder: Path, people: int, interactions: int, posts: int) -> Path:
    """Write content/ and data/ of a synthetic site; returns the data folder."""
    from beancan.files import write_jsonl

    rng = random.Random(SEED)
    content = folder / "content" / "posts"
    content.mkdir(parents=True)
    start = datetime(2021, 1, 1, 9, tzinfo=UTC)
    articles = []
    for index in range(posts):
        date = start + timedelta(days=index * 1500 // posts)
        articles.append((f"post-{index}", date))
    records = []
    replies: list[tuple[str, str, datetime]] = []  # (source, post url, date)

    def person(i: int) -> dict[str, str]:
        return {"name": f"Person {i}", "url": f"https://p{i}.example/"}

    # Most responses go to the posts of the first two thirds; the last third
    # are notes of ours answering comments, which get answered in turn.
    first = posts * 2 // 3
    for number in range(interactions):
        who = int(people * rng.random() ** 2)  # a few people do most of the talking
        slug, date = articles[rng.randrange(first)]
        target = _post_url(date, slug)
        kind = KINDS[rng.randrange(len(KINDS))]
        when = date + timedelta(minutes=rng.randrange(60 * 24 * 60))
        source = f"https://p{who}.example/{kind}/{number}/"
        record = {
            "source": source,
            "target": target,
            "kind": kind,
            "author": person(who),
            "published": when.isoformat(),
            "status": "approved",
            "channels": ["webmention"],
            "content_text": f"Response {number} from person {who}: a few words about the post.",
        }
        if kind == "reply":
            parent = target
            same_post = [r for r in replies[-50:] if r[1] == target]
            if same_post and rng.random() < 0.3:
                parent = same_post[-1][0]
            record["in_reply_to"] = [parent]
            replies.append((source, target, when))
        records.append(record)
    for index in range(first, posts):
        slug, date = articles[index]
        body = f"A post about things, number {index}."
        meta = ""
        if replies and index % 2:
            answered, _, _ = replies[rng.randrange(len(replies))]
            meta = f"In_reply_to: {answered}\n"
            body = f'Answering <a href="{answered}">this reply</a>. {body}'
        (content / f"{slug}.md").write_text(
            f"Title: Post {index}\nDate: {date:%Y-%m-%d %H:%M}\nSlug: {slug}\n{meta}\n{body}\n",
            encoding="utf-8",
        )
    for index in range(first):
        slug, date = articles[index]
        link = f"https://p{rng.randrange(people)}.example/posts/{index}/"
        meta = f"In_reply_to: {link}\n" if index % 3 == 0 else ""
        (content / f"{slug}.md").write_text(
            f"Title: Post {index}\nDate: {date:%Y-%m-%d %H:%M}\nSlug: {slug}\n{meta}\n"
            f"Some words and [a link]({link}).\n",
            encoding="utf-8",
        )
    records.sort(key=lambda r: (r["source"], r["target"]))
    data = folder / "data"
    write_jsonl(data / "interactions.jsonl", "interactions", records)
    return data


def _build(
    folder: Path, data: Path, output: Path, plugins: list[str], background: bool = True
) -> tuple[float, float]:
    """Build in a process of its own: ``(seconds, seconds the plugin held up the build)``.

    Its own process because Pelican's plugins register on module-level
    signals: a build after one with ``beancan.conversations`` would run it too.
    """
    command = [
        sys.executable, "-c",
        "import sys, json, bench_conversations as b; "
        "print(json.dumps(b._child_build(*json.loads(sys.argv[1]))))",
        json.dumps([str(folder), str(data), str(output), plugins, background]),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)])}
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    seconds, held = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, held


def _child_build(folder: str, data: str, output: str, plugins: list[str], background: bool):
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    logging.getLogger("pelican").setLevel(logging.ERROR)
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(Path(folder) / "content"),
            "OUTPUT_PATH": output,
            "SITEURL": SITEURL,
            "FEED_DOMAIN": SITEURL,
            "BEANCAN_DATA_DIR": data,
            "BEANCAN_AUTHOR": {"name": "Bench Author", "url": SITEURL + "/"},
            "BEANCAN_SITE_ALIASES": [],
            "BEANCAN_PERSON_ALIASES": {},
            "PLUGINS": plugins,
            "BEANCAN_BACKGROUND": background,
            "STATIC_PATHS": [],
            "THEME": str(ROOT / "theme"),
        },
    )
    with _Timer() as timer:
        started = time.perf_counter()
        Pelican(settings).run()
        seconds = time.perf_counter() - started
    return seconds, timer.seconds


class _Timer:
    """Times ``ConversationsGenerator.generate_output`` while the bench runs: the time
    the plugin holds up the build (its work in a second process is not counted)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> _Timer:
        from beancan.conversations.plugin import ConversationsGenerator

        self._original = ConversationsGenerator.generate_output
        timer = self

        def timed(generator, writer) -> None:
            started = time.perf_counter()
            try:
                timer._original(generator, writer)
            finally:
                timer.seconds += time.perf_counter() - started

        ConversationsGenerator.generate_output = timed
        return self

    def __exit__(self, *exc) -> None:
        from beancan.conversations.plugin import ConversationsGenerator

        ConversationsGenerator.generate_output = self._original


def run(quick: bool = False) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    people, interactions, posts = (500, 10_000, 60) if quick else (5_000, 100_000, 150)
    base = ["beancan.site", "beancan.comments"]
    full_plugins = [*base, "beancan.conversations"]
    kinds = {
        "plain": (base, True),
        "full": (full_plugins, True),
        "plain-one": (base, False),
        "full-one": (full_plugins, False),
    }
    rounds: list[dict[str, float]] = []
    held: list[float] = []
    with tempfile.TemporaryDirectory(prefix="beancan-bench-", dir=scratch_dir()) as tmp:
        folder = Path(tmp)
        data = make_site(folder, people, interactions, posts)
        for number in range(3 if quick else ROUNDS):
            times = {}
            # Each pair back to back, the pairs' order and each pair's own order
            # rotating: a drift of the machine hits both sides of a difference alike.
            pairs = [("plain", "full"), ("plain-one", "full-one")][:: 1 if number % 2 else -1]
            for pair in pairs:
                for kind in pair[:: 1 if number % 4 < 2 else -1]:
                    plugins, background = kinds[kind]
                    seconds, held_up = _build(folder, data, folder / kind, plugins, background)
                    times[kind] = seconds
                    if kind == "full":
                        held.append(held_up)
            rounds.append(times)
        page = (folder / "full/conversations/index.html").read_text(encoding="utf-8")
        svg = re.search(r"<svg\b.*?</svg>", page, re.S).group(0)
        svg_kb = len(svg.encode("utf-8")) / 1024
        pages = len(list((folder / "full/conversations").glob("*/index.html")))
    label = f"{people:,} people / {interactions:,} interactions"
    return [
        _difference_row(
            f"site build with conversations vs without ({label}), s", rounds, "", TARGET_SECONDS
        ),
        _difference_row(
            "the same, all in Pelican's process (BEANCAN_BACKGROUND = False), s", rounds, "-one"
        ),
        {
            "workload": f"time the plugin holds up the build, {pages:,} pages written, s",
            "beancan": round(statistics.median(held), 3),
            "baseline": TARGET_SECONDS,
            "ratio": round(statistics.median(held) / TARGET_SECONDS, 3),
            "target": f"< {TARGET_SECONDS:.0f} s; rounds {min(held):.2f} to {max(held):.2f}",
        },
        {
            "workload": "conversations page SVG size (KB)",
            "beancan": round(svg_kb, 1),
            "baseline": TARGET_SVG_KB,
            "ratio": round(svg_kb / TARGET_SVG_KB, 3),
            "target": f"< {TARGET_SVG_KB:.0f} KB",
        },
    ]


def _difference_row(
    workload: str, rounds: list[dict[str, float]], suffix: str, target: float | None = None
) -> dict:
    """Median build times, and the median of each round's difference full - plain."""
    deltas = [r["full" + suffix] - r["plain" + suffix] for r in rounds]
    delta = statistics.median(deltas)
    full = statistics.median(r["full" + suffix] for r in rounds)
    plain = statistics.median(r["plain" + suffix] for r in rounds)
    spread = f"rounds {min(deltas):.2f} to {max(deltas):.2f}"
    return {
        "workload": workload,
        "beancan": round(full, 3),
        "baseline": round(plain, 3),
        "ratio": round(full / plain, 3),
        "target": (
            f"difference {delta:.2f} s < {target:.0f} s; {spread}"
            if target
            else f"difference {delta:.2f} s (for comparison); {spread}"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 people, 10,000 interactions")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick)
    for row in rows:
        print(
            f"{row['workload']}\n    beancan {row['beancan']}  baseline {row['baseline']}  "
            f"ratio {row['ratio']}  target {row['target']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
