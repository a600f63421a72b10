"""Benchmark of ``beancan.links``: the parser a build runs over every post.

``outgoing_links`` (lxml's HTML parser with a target, no tree built) against
the same extraction with the standard library's ``html.parser``, over a
generated corpus of blog posts (paragraphs of prose, emphasis, ~4% of words
linked, some links relative and single-quoted). Both give the same links
(checked before timing); each round times both, in alternating order, and
the figure is the median over rounds. This is the evidence for the parser
choice written in ``links.py``.

Run ``python bench/bench_links.py [--quick]``; ``run()`` returns the rows for
``invoke bench``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from beancan.links import _absolute, outgoing_links  # noqa: E402

WORDS = ("the", "a", "of", "bean", "can", "string", "phone", "line", "blog", "post", "reply")
BASE = "https://blog.example/2026/01/post/"


class _StdlibLinks(HTMLParser):
    """The baseline: the same rules on ``html.parser``'s events."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if not href:
            return
        if tag == "base":
            self.base = self.base or href.strip()
        elif tag in ("a", "area"):
            self.found.append(href)


def stdlib_links(html: str, base_url: str) -> list[str]:
    parser = _StdlibLinks()
    parser.feed(html)
    parser.close()
    return _absolute(parser.found, base_url, parser.base)


def make_corpus(posts: int, seed: int = 1) -> list[str]:
    """``posts`` HTML posts of 3 to 40 paragraphs, like rendered Markdown."""
    rng = random.Random(seed)

    def paragraph() -> str:
        words = []
        for _ in range(rng.randint(40, 120)):
            roll = rng.random()
            if roll < 0.04:
                url = f"https://h{rng.randint(1, 300)}.example/p/{rng.randint(1, 9999)}/"
                words.append(f'<a href="{url}">{rng.choice(WORDS)}</a>')
            elif roll < 0.05:
                words.append(f"<a href='/2026/{rng.randint(1, 12):02d}/x/'>x</a>")
            elif roll < 0.06:
                words.append(f"<em>{rng.choice(WORDS)}</em>")
            else:
                words.append(rng.choice(WORDS))
        return "<p>" + " ".join(words) + "</p>"

    return ["\n".join(paragraph() for _ in range(rng.randint(3, 40))) for _ in range(posts)]


def run(quick: bool = False) -> list[dict]:
    posts, rounds = (300, 3) if quick else (2_000, 7)
    corpus = make_corpus(posts)
    size_mib = sum(len(h) for h in corpus) / 2**20
    for html in corpus:
        if outgoing_links(html, BASE) != stdlib_links(html, BASE):
            raise AssertionError("the two parsers disagree on a post")
    timings: dict[str, list[float]] = {"lxml": [], "stdlib": []}
    functions = {"lxml": outgoing_links, "stdlib": stdlib_links}
    for number in range(rounds):
        for name in ["lxml", "stdlib"] if number % 2 == 0 else ["stdlib", "lxml"]:
            started = time.perf_counter()
            for html in corpus:
                functions[name](html, BASE)
            timings[name].append(time.perf_counter() - started)
    ratios = [a / b for a, b in zip(timings["lxml"], timings["stdlib"], strict=True)]
    return [
        {
            "workload": f"links of {posts} posts ({size_mib:.0f} MiB), lxml vs html.parser, s",
            "beancan": round(statistics.median(timings["lxml"]), 3),
            "baseline": round(statistics.median(timings["stdlib"]), 3),
            "ratio": round(statistics.median(ratios), 3),
            "target": f"faster than html.parser; rounds {min(ratios):.2f} to {max(ratios):.2f}",
        }
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    for row in run(quick=parser.parse_args().quick):
        print(row)


if __name__ == "__main__":
    main()
