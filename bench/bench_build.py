"""Benchmark of what a user pays for Beancan in a build: every plugin on vs all off.

A synthetic site of 2,000 posts of about 600 words and 20,000 interactions
from 500 authors (12,000 likes, 2,000 reposts, 4,000 replies threaded up to
six deep, 2,000 mentions) is built with the same theme and settings two
ways, each build a fresh ``python -m pelican`` process as ``invoke build
--settings F`` runs it (start-up, imports and Beancan's second process
included, writing over the last build's output as ``invoke build`` does;
``--delete`` empties it first, as ``invoke publish`` does): with the demo's
full plugin list (site, comments, conversations, peers, gone, social: person
and conversation pages too), and with
``PLUGINS = []``. The machine drifts by a fifth and more within minutes, so
the builds go in pairs, back to back in alternating order; each pair gives
its own ratio, the median of seven pairs counts and the range is shown.
Peak memory is the largest sum of the resident sizes of the pelican process
and its children, sampled every 20 ms. Target: on / off at most 1.10.
Loading the 20,000-interaction store: under 0.5 s (best of three).

Quick mode: 300 posts and 3,000 interactions. Run ``python bench/bench_build.py
[--quick]``; ``run()`` returns the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
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
#: (kind, percent of the interactions)
MIX = (("like", 60), ("repost", 10), ("reply", 20), ("mention", 10))
#: Peak memory is sampled this often (seconds).
SAMPLE_EVERY = 0.02


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
    # Exactly the mix of the issue: 60 % likes, 10 % reposts, 20 % replies, 10 % mentions.
    kinds = [kind for kind, share in MIX for _ in range(interactions * share // 100)]
    rng.shuffle(kinds)
    for n, kind in enumerate(kinds):
        target = urls[rng.randrange(posts)]
        person = rng.randrange(authors)
        source = f"https://person{person}.example/{n}/"
        parent = target
        depth = 1
        existing = chains.setdefault(target, [])
        if kind == "reply" and existing and rng.random() < 0.8:
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


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (0 once it is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += map(int, (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):  # gone meanwhile, or a zombie
            continue
    return total


def timed_build(
    folder: Path,
    plugins: list[str] | None,
    output: Path,
    python: str = sys.executable,
    settings: str = "settings.py",
    delete: bool = False,
) -> tuple[float, int, float]:
    """``(seconds, peak bytes, CPU seconds)`` of one ``python -m pelican`` build's processes.

    The CPU seconds (user and system, the second process's included) show
    the cost apart from how busy the machine is and from the second core.
    ``plugins=None`` keeps the settings file's list (the demo's, all of Beancan);
    ``python`` is the interpreter (another checkout's virtualenv for ``--against``).
    Like ``invoke build``, the build writes over the last one's output; ``delete``
    empties the folder first, as ``invoke publish`` (``DELETE_OUTPUT_DIRECTORY``) does.
    """
    command = [
        python, "-m", "pelican", str(folder / "content"), "-s",
        str(folder / settings), "-o", str(output), "-q",
    ]  # fmt: skip
    if delete:
        command.append("--delete-output-directory")
    if plugins is not None:
        command += ["-e", f"PLUGINS={plugins!r}".replace("'", '"')]
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_EVERY):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    # ru_maxrss (KiB on Linux) catches a peak of pelican's own between two samples.
    cpu = usage.ru_utime + usage.ru_stime  # Linux: includes its waited-for children
    return seconds, max(peak, usage.ru_maxrss * 1024), cpu


def run(quick: bool = False, delete: bool = False) -> list[dict]:
    posts, interactions, authors = (300, 3_000, 100) if quick else (2_000, 20_000, 500)
    with tempfile.TemporaryDirectory(prefix="beancan-bench-build-", dir=scratch_dir()) as tmp:
        folder = Path(tmp)
        make_site(folder, posts, interactions, authors)
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            InteractionStore.load(folder / "data")
            loads.append(time.perf_counter() - started)
        pairs: list[dict[str, tuple[float, int, float]]] = []
        for number in range(3 if quick else ROUNDS):
            order = ("on", "off") if number % 2 == 0 else ("off", "on")
            pair = {}
            for kind in order:
                plugins = None if kind == "on" else []
                pair[kind] = timed_build(folder, plugins, folder / f"out-{kind}", delete=delete)
            pairs.append(pair)
            print(
                f"pair {number + 1}: on {pair['on'][0]:.2f} s, off {pair['off'][0]:.2f} s, "
                f"ratio {pair['on'][0] / pair['off'][0]:.3f}, "
                f"CPU {pair['on'][2]:.2f} vs {pair['off'][2]:.2f} s, load {os.getloadavg()[0]:.2f}",
                file=sys.stderr,
            )
        pages = sum(1 for _ in (folder / "out-on").rglob("*.html"))
        plain_pages = sum(1 for _ in (folder / "out-off").rglob("*.html"))
    label = f"{posts:,} posts, {interactions:,} interactions"
    ratios = [p["on"][0] / p["off"][0] for p in pairs]
    cpu_ratios = [p["on"][2] / p["off"][2] for p in pairs]
    peak_on = max(p["on"][1] for p in pairs) / 2**20
    peak_off = max(p["off"][1] for p in pairs) / 2**20
    return [
        {
            "workload": f"build, every Beancan plugin on vs off ({label}), s",
            "beancan": round(statistics.median(p["on"][0] for p in pairs), 2),
            "baseline": round(statistics.median(p["off"][0] for p in pairs), 2),
            "ratio": round(statistics.median(ratios), 3),
            "target": f"ratio <= {TARGET_RATIO}; pairs {min(ratios):.2f} to {max(ratios):.2f}",
        },
        {
            "workload": "CPU time of the same builds (all processes), s",
            "beancan": round(statistics.median(p["on"][2] for p in pairs), 2),
            "baseline": round(statistics.median(p["off"][2] for p in pairs), 2),
            "ratio": round(statistics.median(cpu_ratios), 3),
            "target": f"(for the record); pairs {min(cpu_ratios):.2f} to {max(cpu_ratios):.2f}",
        },
        {
            "workload": "peak memory of the build's processes, on vs off, MB",
            "beancan": round(peak_on),
            "baseline": round(peak_off),
            "ratio": round(peak_on / peak_off, 2),
            "target": f"(for the record); pages written {pages:,} vs {plain_pages:,}",
        },
        {
            "workload": f"load the store ({interactions:,} interactions), s",
            "beancan": round(min(loads), 3),
            "baseline": TARGET_LOAD_SECONDS,
            "ratio": round(min(loads) / TARGET_LOAD_SECONDS, 3),
            "target": f"< {TARGET_LOAD_SECONDS} s",
        },
    ]


def against(other_python: str, rounds: int, extra: list[str], other_extra: list[str]) -> None:
    """Every plugin on, this checkout against another's interpreter, in paired rounds.

    For "with and without" a change: ``other_python`` is the virtualenv of a
    checkout of the commit before it (``git worktree add /tmp/x COMMIT`` and
    ``scripts/setup`` there), or this one's with ``other_extra``: settings
    lines for the other side only (``BEANCAN_BACKGROUND = False``). ``extra``
    are settings lines for both sides.
    """
    with tempfile.TemporaryDirectory(prefix="beancan-bench-ab-", dir=scratch_dir()) as tmp:
        folder = Path(tmp)
        make_site(folder, 2_000, 20_000, 500)
        settings = folder / "settings.py"
        settings.write_text(settings.read_text() + "".join(f"{e}\n" for e in extra))
        other = folder / "other.py"
        other.write_text(settings.read_text() + "".join(f"{e}\n" for e in other_extra))
        ratios, cpu_ratios = [], []
        for number in range(rounds):
            sides = ("this", "other") if number % 2 == 0 else ("other", "this")
            got = {
                side: timed_build(folder, None, folder / f"out-{side}",
                                  *((sys.executable, "settings.py") if side == "this"
                                    else (other_python, "other.py")))
                for side in sides
            }  # fmt: skip
            ratios.append(got["this"][0] / got["other"][0])
            cpu_ratios.append(got["this"][2] / got["other"][2])
            print(
                f"pair {number + 1}: this {got['this'][0]:.2f} s ({got['this'][2]:.2f} CPU, "
                f"{got['this'][1] / 2**20:.0f} MB), other {got['other'][0]:.2f} s "
                f"({got['other'][2]:.2f} CPU, {got['other'][1] / 2**20:.0f} MB), "
                f"load {os.getloadavg()[0]:.2f}"
            )
    print(f"this / other, wall: median {statistics.median(ratios):.3f}, "
          f"range {min(ratios):.2f} to {max(ratios):.2f}; CPU: median "
          f"{statistics.median(cpu_ratios):.3f}, range {min(cpu_ratios):.2f} to "
          f"{max(cpu_ratios):.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--delete", action="store_true", help="empty the output folder first")
    parser.add_argument("--against", metavar="PYTHON", help="another checkout's interpreter")
    parser.add_argument("--set-other", action="append", default=[],
                        help="a settings line for the --against side only")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--set", action="append", default=[], help="a settings line, both sides")
    args = parser.parse_args()
    if args.against:
        against(args.against, args.rounds, args.set, args.set_other)
        return
    load = os.getloadavg()
    for row in run(quick=args.quick, delete=args.delete):
        print(f"{row['workload']:60} {row['beancan']!s:>8} {row['baseline']!s:>8} "
              f"{row['ratio']!s:>7}  {row['target']}")  # fmt: skip
    print(f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
