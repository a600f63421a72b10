"""Benchmark of placing the comment section and links in any theme (``site/placement.py``).

Every page Pelican renders passes through ``place``; in a theme that
includes the section and prints the links itself (this repository's), it
only looks for them. This times that look on the demo's real pages, built
once, against the time Pelican's Jinja takes to render the same article
template for the same page (its own share of a build), best of five. And
the other case: the section and links put into Pelican's ``notmyidea``
article page, rendering ``beancan/comments.html`` included.

Run ``python bench/bench_placement.py [--quick]``; ``run()`` returns the rows for
``invoke bench``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

from _scratch import scratch_dir  # noqa: E402


def _capture(settings_overrides: dict, output: Path) -> list[tuple]:
    """``(template, context, html)`` of every article page of one real build."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from beancan.site import placement

    pages: list[tuple] = []
    original = placement.place

    def recording(html, context, env):
        placed = original(html, context, env)
        if context.get("article") is not None and "</head>" in html:  # pages, not the section
            pages.append((env.get_template(context["article"].template + ".html"),
                          dict(context), html))  # fmt: skip
        return placed

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"OUTPUT_PATH": str(output)})
    settings.update(settings_overrides, BEANCAN_BACKGROUND=False)
    placement.place = recording
    try:
        Pelican(settings).run()
    finally:
        placement.place = original
    return pages


def _best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def run(quick: bool = False) -> list[dict]:
    from beancan.site.placement import place

    rows = []
    for label, overrides in (
        ("this repository's theme: look only", {}),
        ("notmyidea: section and links put in", {"THEME": "notmyidea", "PAGE_PATHS": []}),
    ):
        with tempfile.TemporaryDirectory(prefix="beancan-bench-place-", dir=scratch_dir()) as tmp:
            pages = _capture(overrides, Path(tmp))
        if quick:
            pages = pages[:3]
        placing = _best(lambda: [place(h, c, t.environment) for t, c, h in pages])  # noqa: B023
        rendering = _best(lambda: [t.render(c) for t, c, _ in pages])  # noqa: B023
        rows.append({
            "workload": f"place() on {len(pages)} article pages, {label}, ms",
            "beancan": round(placing * 1000, 2),
            "baseline": round(rendering * 1000, 2),
            "ratio": round(placing / rendering, 3),
            "target": "share of rendering the same pages (which it includes)",
        })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(quick=args.quick):
        print(f"{row['workload']:60} {row['beancan']!s:>8} {row['baseline']!s:>8} "
              f"{row['ratio']!s:>7}  {row['target']}")  # fmt: skip


if __name__ == "__main__":
    main()
