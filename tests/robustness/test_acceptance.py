"""Issue 12, acceptance: ``invoke collect`` against an API serving 767 entries,
about 100 of them hostile or huge, then a real Pelican build of the demo site.

Exit 0, every well-formed entry stored, every one of them on its post's page,
no ERROR in either log. The figures (offered / stored / skipped per cause)
are printed for the closing note: ``pytest -s -k acceptance``.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from beancan.store import InteractionStore
from tests.robustness.helpers import good_entry
from tests.sitebuild import build_site

ROOT = Path(__file__).resolve().parents[2]
ALIASES = ["https://tamsin.example", "https://www.tamsin.example"]
XSS = '<script>alert(%d)</script><img src=x onerror="alert(1)"><a href="javascript:x">hi</a>'


def demo_posts() -> list[str]:
    """The demo's post URLs, as readers' sites link them (the tamsin.example alias)."""
    urls = []
    for path in sorted((ROOT / "content" / "posts").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        date = re.search(r"^Date: (\d{4})-(\d\d)", text, re.M)
        slug = re.search(r"^Slug: (\S+)", text, re.M)
        urls.append(f"{ALIASES[0]}/{date[1]}/{date[2]}/{slug[1]}/")
    return urls


def entries() -> tuple[list, Counter]:
    """767 entries in the order the API lists them, and the skips expected per cause."""
    posts = demo_posts()

    def reply(n: int, **changes) -> dict:
        entry = good_entry(n, **{"wm-target": posts[n % len(posts)], "in-reply-to": ""})
        entry["in-reply-to"] = entry["wm-target"]
        entry.update(changes)
        return entry

    listed: list = [reply(n) for n in range(1, 768)]
    hostile = {
        # well-formed, hostile: stored (sanitized), shown
        **{n: {"content": {"html": XSS % n}} for n in range(10, 40)},
        **{n: {"url": f"http://host.example/people/X%22%3E%3Cscript%3Ealert(%27{n}%27)%3C/script%3E"}
           for n in range(40, 50)},
        **{n: {"author": {"name": "P", "url": f"https://p{n}.example/",
                          "photo": "http://127.0.0.1:1/" + "a" * 100_000}} for n in range(50, 60)},
        **{n: {"author": {"name": "<b>J</b>", "url": "javascript:x"}} for n in range(60, 70)},
        **{n: {"content": {"text": "long " * 50_000}} for n in range(300, 315)},
        # refused: no usable source or target
        **{n: {"wm-source": "javascript:alert(1)", "url": ""} for n in range(70, 75)},
        **{n: {"wm-target": {"not": "a url"}} for n in range(75, 80)},
        # huge: one entry alone is over the 2 MB cap
        **{n: {"content": {"text": "x" * 2_100_000}} for n in range(400, 405)},
    }  # fmt: skip
    for n, changes in hostile.items():
        listed[n - 1].update(changes)
    # not entries at all, before any id (an API would never send them; strangers' relays might)
    junk = ["a string", 12, None, ["a", "list"], {"wm-id": "x"}]  # in place of entries 1-5
    expected = Counter({"too large": 5, "no usable source or target": 10, "not an entry": 4})
    expected["no usable source or target"] += 1  # {"wm-id": "x"} is an object without a source
    return junk + listed[len(junk) :], expected


def test_collect_767_entries_then_build_shows_every_well_formed_one(tmp_path, jf2):
    jf2.entries, expected_skips = entries()
    offered = len(jf2.entries)
    data = tmp_path / "data"
    settings_file = tmp_path / "settings.py"
    settings_file.write_text(
        "\n".join([
            'SITEURL = "http://127.0.0.1:8000"',
            'SITENAME = "Tin Can Telephone"',
            f"BEANCAN_SITE_ALIASES = {ALIASES!r}",
            f"BEANCAN_DATA_DIR = {str(data)!r}",
            f"BEANCAN_WEBMENTION_APIS = [{{'url': {jf2.url()!r}}}]",
            "BEANCAN_ALLOW_PRIVATE_ADDRESSES = True",
            # Every well-formed entry is to show in the build: no moderation queue.
            'BEANCAN_MODERATION = "open"',
            # Authors' home pages are on .example hosts: no lookups from a test.
            "BEANCAN_PEOPLE_FETCH_PER_RUN = 0",
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    invoke = Path(sys.executable).parent / "invoke"
    started = time.perf_counter()
    done = subprocess.run(
        [str(invoke), "-r", str(ROOT), "collect", "--settings", str(settings_file)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    collect_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ERROR" not in done.stderr

    store = InteractionStore.load(data)
    well_formed = [
        e for e in jf2.entries
        if isinstance(e, dict) and isinstance(e.get("wm-id"), int)
        and not (70 <= e["wm-id"] < 80 or 400 <= e["wm-id"] < 405)
    ]  # fmt: skip
    missing = [e["wm-id"] for e in well_formed if store.get(e["wm-source"], e["wm-target"]) is None]
    assert missing == []
    assert store.skipped == []
    skips = Counter()
    for cause in re.findall(r"skipped \(([^)]+)\)", done.stderr):
        skips[cause] += 1
    assert skips == expected_skips, done.stderr[-3000:]

    build = build_site(tmp_path / "output", BEANCAN_DATA_DIR=str(data))
    assert [p for p in build.problems if p.startswith("ERROR")] == []
    not_shown = []
    for interaction in store:
        path = interaction.target.split("://", 1)[1].split("/", 1)[1] + "index.html"
        anchor = "c-" + hashlib.sha256(interaction.permalink.encode()).hexdigest()[:10]
        if f'id="{anchor}"' not in build.page(path):
            not_shown.append(interaction.source)
    assert not_shown == []
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "output").rglob("*.html"))
    assert "<script>alert" not in pages and "onerror" not in pages

    figures = {
        "offered": offered,
        "stored": len(store),
        "skipped": dict(skips),
        "shown in the build": len(store) - len(not_shown),
        "avatars not used (100 kB photo URL)": done.stderr.count("Avatar http://127.0.0.1:1/"),
        "api requests": len(jf2.asked),
        "invoke collect seconds (process start included)": round(collect_seconds, 2),
    }
    print("\nacceptance figures:", json.dumps(figures, indent=1))
