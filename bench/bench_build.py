"""Benchmark of the build with comment sections, and of loading the store.

A synthetic site of 2,000 posts of about 600 words and 20,000 interactions
(500 authors, threads up to six deep) is built with the same theme and
settings three ways: with the Beancan comment plugins (``beancan.site``,
``beancan.comments``) as they run by default, the store's work in a second
process beside Pelican's; the same with ``BEANCAN_BACKGROUND = False``, all
in Pelican's process (what a one-CPU machine gets); and with no plugins.
Each build runs in a process of its own. The machine these run on drifts
by a fifth and more within minutes, so the builds go in rounds (one of
each kind, in a rotating order) and each round gives its own ratio to the
plain build next to it; the median of seven rounds counts, and the range is
shown. Target: with / without at most 1.10. Loading the 20,000-interaction
store: under 0.5 s (best of three).

Quick mode: 300 posts and 3,000 interactions. Run ``python bench/bench_build.py
[--quick]``; ``run()`` returns the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "plugins"))

from _scratch import scratch_dir  # noqa: E402

from beancan.model import make_interaction  # noqa: E402
from beancan.store import InteractionStore  # noqa: E402

TARGET_RATIO = 1.10
#: Rounds of one build of each kind; the median of the rounds' ratios counts.
ROUNDS = 7
TARGET_LOAD_SECONDS = 0.5
# Tag names must not end in digits: "tag2" page 3 and "tag23" would collide.
TAGS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
WORDS = [
    "the", "string", "between", "two", "cans", "carries", "a", "voice", "further", "than",
    "you", "think", "when", "both", "ends", "listen", "and", "answer", "back", "across", "yard",
]  # fmt: skip
SITE = "https://tamsin.example"


def make_site(folder: Path, posts: int, interactions: int, authors: int) -> None:
    """Write content, data and a settings file for a synthetic site into ``folder``."""
    rng = random.Random(1)
    content = folder / "content" / "posts"
    content.mkdir(parents=True)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    urls = []
    for n in range(posts):
        date = start + timedelta(hours=7 * n)
        slug = f"post-{n}-entry"
        urls.append(f"{SITE}/{date:%Y}/{date:%m}/{slug}/")
        body = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + "." for _ in range(6)
        )
        tags = ", ".join(rng.sample(TAGS, 2))
        (content / f"{slug}.md").write_text(
            f"Title: Post number {n}\nDate: {date:%Y-%m-%d %H:%M}\nSlug: {slug}\n"
            f"Tags: {tags}\n\n{body}\n",
            encoding="utf-8",
        )
    store = InteractionStore(folder / "data" / "interactions.jsonl")
    store.path = folder / "data" / "interactions.jsonl"
    chains: dict[str, list[tuple[str, int]]] = {}
    for n in range(interactions):
        target = urls[rng.randrange(posts)]
        person = rng.randrange(authors)
        kind = rng.choices(["reply", "like", "repost", "mention"], [6, 3, 1, 1])[0]
        source = f"https://person{person}.example/{n}/"
        parent = target
        depth = 1
        existing = chains.setdefault(target, [])
        if kind == "reply" and existing and rng.random() < 0.6:
            parent, parent_depth = rng.choice(existing)
            if parent_depth >= 6:
                parent, parent_depth = target, 0
            depth = parent_depth + 1
        if kind == "reply":
            existing.append((source, depth))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 80)))
        store.merge(
            make_interaction(
                source=source,
                target=target,
                kind=kind,
                in_reply_to=[parent],
                author={"name": f"Person {person}", "url": f"https://person{person}.example/"},
                content_html=f"<p>{words}</p>",
                status="approved",
                channels=["webmention"],
                published=(start + timedelta(minutes=n)).isoformat(),
            ),  # fmt: skip
            "2026-01-01T00:00:00+00:00",
        )
    store.save()
    (folder / "settings.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"PATH = {str(folder / 'content')!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        "ARTICLE_PATHS = ['posts']\nPAGE_PATHS = []\nSTATIC_PATHS = []\n"
        f"BEANCAN_DATA_DIR = {str(folder / 'data')!r}\n"
        "SITEURL = 'https://tamsin.example'\nFEED_DOMAIN = SITEURL\n"
        "BEANCAN_SITE_ALIASES = []\n",
        encoding="utf-8",
    )


#: Runs Pelican's command line with the comment plugin's work in the build's own
#: process timed (waiting for the second process, then adding our own posts).
_TIMED_PELICAN = """
import json, sys, time
import beancan.comments.plugin as plugin
held = 0.0
original = plugin._attach_comment_sections
def timed(generators):
    global held
    started = time.perf_counter()
    try:
        original(generators)
    finally:
        held += time.perf_counter() - started
plugin._attach_comment_sections = timed
import pelican
try:
    pelican.main(sys.argv[2:])
finally:
    open(sys.argv[1], "w").write(json.dumps(held))
"""


def timed_build(
    folder: Path, plugins: list[str], output: Path, background: bool = True
) -> tuple[float, float]:
    """``(seconds, seconds the comment plugin held up Pelican's process)``; 0 without it."""
    arguments = [
        str(folder / "content"), "-s", str(folder / "settings.py"), "-o", str(output), "-q",
        "--delete-output-directory", "-e", f"PLUGINS={plugins!r}".replace("'", '"'),
        f"BEANCAN_BACKGROUND={str(background).lower()}",
    ]  # fmt: skip
    held_file = folder / "held.json"
    if plugins:
        command = [sys.executable, "-c", _TIMED_PELICAN, str(held_file), *arguments]
    else:  # the plain build: Pelican's command line, nothing of ours imported
        command = [sys.executable, "-m", "pelican", *arguments]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=folder)
    seconds = time.perf_counter() - started
    held = json.loads(held_file.read_text(encoding="utf-8")) if plugins else 0.0
    held_file.unlink(missing_ok=True)
    return seconds, held


def run(quick: bool = False) -> list[dict]:
    posts, interactions, authors = (300, 3_000, 100) if quick else (2_000, 20_000, 500)
    with tempfile.TemporaryDirectory(prefix="beancan-bench-build-", dir=scratch_dir()) as tmp:
        folder = Path(tmp)
        make_site(folder, posts, interactions, authors)
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            InteractionStore.load(folder / "data")
            loads.append(time.perf_counter() - started)
        kinds = {
            "plain": ([], folder / "out-plain", True),
            "comments": (["beancan.site", "beancan.comments"], folder / "out-comments", True),
            "one": (["beancan.site", "beancan.comments"], folder / "out-one", False),
        }
        rounds: list[dict[str, float]] = []
        held: list[float] = []
        for number in range(3 if quick else ROUNDS):
            order = list(kinds)[number % 3 :] + list(kinds)[: number % 3]
            timings = {k: timed_build(folder, *kinds[k]) for k in order}
            rounds.append({k: seconds for k, (seconds, _) in timings.items()})
            held.append(timings["comments"][1])
    label = f"{posts} posts, {interactions} interactions"
    return [
        _ratio_row(
            f"build with comment sections ({label}), s",
            rounds,
            "comments",
            f"ratio <= {TARGET_RATIO}",
        ),  # fmt: skip
        _ratio_row(
            "the same, all in Pelican's process (BEANCAN_BACKGROUND = False), s",
            rounds,
            "one",
            "(for comparison)",
        ),  # fmt: skip
        _held_row(held, statistics.median(r["plain"] for r in rounds)),
        {
            "workload": f"load the store ({interactions} interactions), s",
            "beancan": round(min(loads), 3),
            "baseline": TARGET_LOAD_SECONDS,
            "ratio": round(min(loads) / TARGET_LOAD_SECONDS, 3),
            "target": f"< {TARGET_LOAD_SECONDS} s",
        },
    ]


def _held_row(held: list[float], plain: float) -> dict:
    """The comment plugin's own time in Pelican's process, against the plain build."""
    return {
        "workload": "time the comments plugin holds up Pelican's process (same builds), s",
        "beancan": round(statistics.median(held), 3),
        "baseline": round(plain, 2),
        "ratio": round(statistics.median(held) / plain, 3),
        "target": f"share of the plain build; rounds {min(held):.2f} to {max(held):.2f}",
    }


def _ratio_row(workload: str, rounds: list[dict[str, float]], kind: str, target: str) -> dict:
    """Median build times, and the median of each round's ratio to its plain build."""
    ratios = [r[kind] / r["plain"] for r in rounds]
    return {
        "workload": workload,
        "beancan": round(statistics.median(r[kind] for r in rounds), 2),
        "baseline": round(statistics.median(r["plain"] for r in rounds), 2),
        "ratio": round(statistics.median(ratios), 3),
        "target": f"{target}; rounds {min(ratios):.2f} to {max(ratios):.2f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(quick=args.quick):
        print(f"{row['workload']:60} {row['beancan']!s:>8} {row['baseline']!s:>8} "
              f"{row['ratio']!s:>7}  {row['target']}")  # fmt: skip


if __name__ == "__main__":
    main()
