"""Compare this checkout's build with another checkout's: the same HTML, and how fast.

For a change that must not change the output (moving markup from Python
into templates), build the demo blog and a synthetic site (``bench_build``'s,
with comment sections and conversations pages) with both checkouts' plugins
and theme, and diff the output trees. With ``--rounds N``, time the
synthetic build in N rounds of one build each (old, new and plain Pelican,
in a rotating order), and print each round's ratios to its plain build and
the medians and ranges (the machine drifts within minutes, so only paired
rounds compare).

Run ``python bench/compare_checkouts.py OLD_CHECKOUT [--posts N --interactions M]
[--rounds N]``; make OLD_CHECKOUT with ``git archive COMMIT | tar -x -C DIR``,
outside the repository.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scratch import scratch_dir  # noqa: E402
from bench_build import make_site  # noqa: E402

PLUGINS = '["beancan.site", "beancan.comments", "beancan.conversations"]'
#: One build of bench_conversations' site with a checkout's plugins and theme:
#: prints ``[seconds, seconds the conversations plugin held up the build]``.
_CONVERSATIONS_BUILD = """
import json, sys
sys.path[:0] = [sys.argv[1] + "/bench", sys.argv[1]]
import bench_conversations as b
print(json.dumps(b._child_build(*json.loads(sys.argv[2]))))
"""


def build(
    checkout: Path, content: Path, settings: Path, output: Path, plugins: str | None
) -> tuple[float, float]:
    """Build with ``checkout``'s plugins on the path (``plugins`` None: the settings').

    ``(seconds, CPU seconds)``: the CPU time of the build and of its second
    process, which drifts less than the wall clock on a machine shared with
    other work.
    """
    env = {**os.environ, "PYTHONPATH": str(checkout / "plugins")}
    command = [
        sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output),
        "-q", "--delete-output-directory",
    ]  # fmt: skip
    if plugins is not None:
        command += ["-e", f"PLUGINS={plugins}"]
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, check=True, cwd=settings.parent, env=env)
    return time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: Two spellings of one escaped character: html.escape's and markupsafe's (Jinja's).
_SAME_ENTITY = {
    "&#x27;": "&#39;", "&quot;": "&#34;", "&amp;#x27;": "&amp;#39;", "&amp;quot;": "&amp;#34;",
}  # fmt: skip
#: What issue 13 added to the conversations pages for microformats, none of it
#: visible: ``--without-mf2`` removes it from the new side before comparing.
_MF2_ADDED = [
    (re.compile(r'<data class="u-[a-z-]+" value="[^"]*"></data>'), ""),
    (re.compile(r'<li class="bc-step h-cite'), '<li class="bc-step'),
    (re.compile(r'<strong class="p-author h-card">'), "<strong>"),
    (re.compile(r'<th scope="row" class="h-card">'), '<th scope="row">'),
    (re.compile(r'<a class="p-name" href='), "<a href="),
    (re.compile(r'<span class="p-name">([^<]*)</span>'), r"\1"),
    (re.compile(r'(<a href="[^"]*") class="u-url"'), r"\1"),
    (re.compile(r' · <time class="dt-published"'), " · <time"),
]
_ENTITY = re.compile("|".join(_SAME_ENTITY))
_SPACE = re.compile(r"\s+")


def normalized(path: Path, without_mf2: bool = False) -> bytes:
    """The file with every run of whitespace one space and one spelling of each entity.

    What a browser shows does not change with either (outside ``<pre>``,
    which these pages do not put responses in).
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    text = _ENTITY.sub(lambda m: _SAME_ENTITY[m.group(0)], text)
    for pattern, replacement in _MF2_ADDED if without_mf2 else ():
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", text).encode("utf-8")


def report(name: str, old: Path, new: Path, without_mf2: bool) -> None:
    """Print which files differ, and which of them differ beyond ``normalized``."""
    found = differences(old, new)
    real = [
        f for f in found
        if not f.endswith(")") and normalized(old / f) != normalized(new / f, without_mf2)
    ] + [f for f in found if f.endswith(")")]  # fmt: skip
    beyond = "whitespace, entity spelling" + (" and the mf2 additions" if without_mf2 else "")
    print(f"{name}: {len(found)} files differ, {len(real)} beyond {beyond}")
    for f in real[:20]:
        print("  ", f)


def differences(old: Path, new: Path) -> list[str]:
    """Relative paths of files that differ or exist on one side only."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"{prefix}{n} (only in old)" for n in cmp.left_only)
        found.extend(f"{prefix}{n} (only in new)" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(old, new), "")
    return sorted(found)


def settings_for(folder: Path, checkout: Path, name: str) -> Path:
    """``bench_build``'s settings file, pointed at ``checkout``'s theme and pelicanconf."""
    text = (folder / "settings.py").read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace(str(ROOT), str(checkout)), encoding="utf-8")
    return path


def conversations_rounds(old: Path, rounds: int, people: int, interactions: int) -> None:
    """Paired rounds on bench_conversations' site: each checkout with and without the plugin.

    Each side's plain build is its own (``beancan.site`` and ``beancan.comments``
    of the same checkout): the comment sections changed too.
    """
    import bench_conversations

    base = ["beancan.site", "beancan.comments"]
    full = [*base, "beancan.conversations"]
    with tempfile.TemporaryDirectory(prefix="beancan-compare-", dir=scratch_dir()) as tmp:
        folder = Path(tmp)
        data = bench_conversations.make_site(folder, people, interactions, 150)
        sides = {
            "old plain": (old, base), "old": (old, full),
            "new plain": (ROOT, base), "new": (ROOT, full),
        }  # fmt: skip
        results: list[dict[str, tuple[float, float]]] = []
        for number in range(rounds):
            # Each pair back to back, pairs and their order rotating (bench_conversations).
            pairs = [["old plain", "old"], ["new plain", "new"]][:: 1 if number % 2 else -1]
            order = [side for pair in pairs for side in pair[:: 1 if number % 4 < 2 else -1]]
            times = {}
            for side in order:
                checkout, plugins = sides[side]
                arguments = [str(folder), str(data), str(folder / side), plugins, True]
                cpu = _children_cpu()
                done = subprocess.run(
                    [sys.executable, "-c", _CONVERSATIONS_BUILD, str(checkout),
                     json.dumps(arguments)],
                    check=True, capture_output=True, text=True,
                    env={**os.environ, "PYTHONPATH": str(checkout / "plugins")},
                )  # fmt: skip
                seconds, held = json.loads(done.stdout.strip().splitlines()[-1])
                times[side] = (seconds, held, _children_cpu() - cpu)
            results.append(times)
            print(f"round {number + 1}: " + ", ".join(
                f"{k} {v[0]:.2f} s (held {v[1]:.2f} s, CPU {v[2]:.2f} s)" for k, v in times.items()
            ))  # fmt: skip
        for side in ("old", "new"):
            deltas = [r[side][0] - r[f"{side} plain"][0] for r in results]
            held = [r[side][1] for r in results]
            cpu_deltas = [r[side][2] - r[f"{side} plain"][2] for r in results]
            print(
                f"{side}: difference to its plain build median {statistics.median(deltas):.2f} s "
                f"(rounds {min(deltas):.2f} to {max(deltas):.2f}); held up the build "
                f"median {statistics.median(held):.2f} s ({min(held):.2f} to {max(held):.2f}); "
                f"CPU beyond plain median {statistics.median(cpu_deltas):.2f} s "
                f"({min(cpu_deltas):.2f} to {max(cpu_deltas):.2f})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="the other checkout (the one before the change)")
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--interactions", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=0, help="timed rounds (0: diff only)")
    parser.add_argument("--plugins", default=PLUGINS, help="PLUGINS of the timed builds")
    parser.add_argument(
        "--conversations", type=int, metavar="PEOPLE",
        help="time bench_conversations' site instead (PEOPLE people, 20 interactions each)",
    )  # fmt: skip
    parser.add_argument("--without-mf2", action="store_true", help="ignore the mf2 additions")
    parser.add_argument("--keep", type=Path, help="build here, and leave the trees for diff -r")
    args = parser.parse_args()
    old = args.old.resolve()
    if args.conversations:
        conversations_rounds(old, args.rounds, args.conversations, args.conversations * 20)
        return
    with tempfile.TemporaryDirectory(prefix="beancan-compare-", dir=scratch_dir()) as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for checkout, side in ((old, "old"), (ROOT, "new")):
            build(checkout, checkout / "content", checkout / "pelicanconf.py",
                  folder / f"demo-{side}", None)  # fmt: skip
        report("demo", folder / "demo-old", folder / "demo-new", args.without_mf2)
        make_site(folder, args.posts, args.interactions, max(10, args.interactions // 40))
        sides = {
            "old": (old, settings_for(folder, old, "settings_old.py"), args.plugins),
            "new": (ROOT, settings_for(folder, ROOT, "settings_new.py"), args.plugins),
            "plain": (ROOT, folder / "settings.py", "[]"),
        }
        for side in ("old", "new"):
            checkout, settings, plugins = sides[side]
            build(checkout, folder / "content", settings, folder / f"site-{side}", plugins)
        report("synthetic site", folder / "site-old", folder / "site-new", args.without_mf2)
        rounds = []
        for number in range(args.rounds):
            order = list(sides)[number % 3 :] + list(sides)[: number % 3]
            times = {
                side: build(
                    sides[side][0],
                    folder / "content",
                    sides[side][1],
                    folder / f"timed-{side}",
                    sides[side][2],
                )  # fmt: skip
                for side in order
            }
            rounds.append(times)
            print(f"round {number + 1}: " + ", ".join(
                f"{k} {v[0]:.2f} s (CPU {v[1]:.2f} s)" for k, v in times.items()
            ))  # fmt: skip
        for index, what in enumerate(("wall", "CPU")):
            for side in ("old", "new") if rounds else ():
                ratios = [r[side][index] / r["plain"][index] for r in rounds]
                print(
                    f"{side} {what}: median {statistics.median(r[side][index] for r in rounds):.2f}"
                    f" s, ratio to plain {statistics.median(ratios):.3f} "
                    f"(rounds {min(ratios):.2f} to {max(ratios):.2f})"
                )
            if rounds:
                paired = [r["new"][index] / r["old"][index] for r in rounds]
                print(f"new / old {what}: median {statistics.median(paired):.3f} "
                      f"(rounds {min(paired):.2f} to {max(paired):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
