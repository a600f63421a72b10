"""Benchmark of ``beancan import wordpress``: a 20,000-comment WXR export.

A generated export of 400 posts with 50 comments each (threads three deep,
a pingback and a spam comment per post, ~13 MB) is imported into an empty
store for a site of 400 Markdown posts, then imported again (nothing new).
Every round runs in a fresh child process, so its peak RSS (``ru_maxrss``)
is the import's own and not the previous round's.

* Time of the first import (read and parse the export, read the 400 posts
  through Pelican's readers, convert, merge, one atomic save): median of
  the rounds. Target: under 10 s.
* Peak RSS of the import process against two children with the same
  modules loaded: one that only loads the resulting store (the memory the
  imported records need anyway; the import should add little to it), and
  one that parses the export as one tree (``lxml.etree.parse``, what a
  non-streaming reader would hold before converting anything).
* Second import of the same file: writes nothing (checked), median time.

Quick mode: 5,000 comments, one round. Run ``python bench/bench_import.py
[--quick]``; ``run()`` returns the rows for ``invoke bench``.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMENTS_PER_POST = 50
TARGET_SECONDS = 10.0

SETTINGS = """\
SITEURL = "https://bench.example"
TIMEZONE = "UTC"
PATH = {content!r}
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
BEANCAN_DATA_DIR = {data!r}
BEANCAN_AUTHOR = {{"name": "Bench Author", "url": "https://bench.example/"}}
"""


def comment_xml(post: int, n: int) -> str:
    """One comment: a thread of three levels, a pingback and a spam comment per post."""
    cid = post * 1000 + n
    parent = 0 if n % 3 == 0 else cid - 1
    kind, status, url = "", "1", f"https://reader{n}.example/"
    if n == 1:
        kind, parent, url = "pingback", 0, f"https://peer{post}.example/2010/01/linking-post/"
    elif n == 2:
        status = "spam"
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {n} of post {post}]]></wp:comment_author>"
        f"<wp:comment_author_email><![CDATA[reader{n}@mail.example]]></wp:comment_author_email>"
        f"<wp:comment_author_url>{url}</wp:comment_author_url>"
        f"<wp:comment_author_IP><![CDATA[198.51.100.{n}]]></wp:comment_author_IP>"
        f"<wp:comment_date><![CDATA[2010-0{1 + post % 9}-1{n % 10} 12:{n % 60:02d}:00]]>"
        "</wp:comment_date>"
        f"<wp:comment_date_gmt><![CDATA[2010-0{1 + post % 9}-1{n % 10} 11:{n % 60:02d}:00]]>"
        "</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[Comment {n} on post {post}: a few sentences of "
        'an ordinary reply, with a <a href="https://elsewhere.example/">link</a> and '
        "a second paragraph.\n\nThanks for writing this one.]]></wp:comment_content>"
        f"<wp:comment_approved><![CDATA[{status}]]></wp:comment_approved>"
        f"<wp:comment_type><![CDATA[{kind}]]></wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
    )


def make_site(folder: Path, posts: int) -> tuple[Path, Path, Path]:
    """(settings file, export, data folder) of a generated site and its WXR export."""
    content, data = folder / "content", folder / "data"
    content.mkdir()
    data.mkdir()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench</title>\n'
        "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>me</wp:author_login>"
        "</wp:author>\n"
    ]
    for post in range(posts):
        slug = f"post-number-{post}"
        (content / f"{slug}.md").write_text(
            f"Title: Post number {post}\nDate: 2010-0{1 + post % 9}-01 10:00\n\nText.\n",
            encoding="utf-8",
        )
        parts.append(
            f"<item><title>Post number {post}</title>"
            f"<link>http://old.example/2010/0{1 + post % 9}/{slug}/</link>"
            f"<dc:creator>me</dc:creator><wp:post_id>{post}</wp:post_id>"
            f"<wp:post_name>{slug}</wp:post_name><wp:post_type>post</wp:post_type>\n"
        )
        parts.extend(comment_xml(post, n) for n in range(COMMENTS_PER_POST))
        parts.append("</item>\n")
    parts.append("</channel></rss>\n")
    export = folder / "export.xml"
    export.write_text("".join(parts), encoding="utf-8")
    settings = folder / "benchconf.py"
    settings.write_text(SETTINGS.format(content=str(content), data=str(data)), encoding="utf-8")
    return settings, export, data


def _import_child(settings: str, export: str, queue) -> None:
    sys.path.insert(0, str(ROOT / "plugins"))
    from beancan.importers import run_import
    from beancan.settings import load_settings_file

    load_settings_file(settings)  # imports Pelican and Markdown before the clock starts
    start = time.perf_counter()
    summary = run_import(settings, "wordpress", export)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, summary.imported, summary.saved))


def _tree_child(settings: str, export: str, queue) -> None:
    sys.path.insert(0, str(ROOT / "plugins"))
    from lxml import etree

    from beancan.settings import load_settings_file

    load_settings_file(settings)  # the same modules loaded as in the import child
    import beancan.importers  # noqa: F401

    start = time.perf_counter()
    tree = etree.parse(export, etree.XMLParser(resolve_entities=False, no_network=True))
    count = sum(1 for _ in tree.iter("{http://wordpress.org/export/1.2/}comment"))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, count, False))


def _store_child(settings: str, export: str, queue) -> None:
    sys.path.insert(0, str(ROOT / "plugins"))
    from beancan.settings import BeancanSettings, load_settings_file
    from beancan.store import InteractionStore

    pelican_settings = load_settings_file(settings)
    import beancan.importers  # noqa: F401

    start = time.perf_counter()
    store = InteractionStore.load(BeancanSettings.from_pelican(pelican_settings).data_dir)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, len(store), False))


def _in_child(target, *args) -> tuple:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get(timeout=600)
    process.join()
    return result


def _digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")))).hexdigest()


def run(quick: bool = False) -> list[dict]:
    """Rows ``{workload, beancan, baseline, ratio, target}`` for ``invoke bench``."""
    posts = 100 if quick else 400
    rounds = 1 if quick else 3
    comments = posts * COMMENTS_PER_POST
    firsts, seconds, peaks, tree_peaks, store_peaks = [], [], [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="beancan-bench-import-") as tmp:
            settings, export, data = make_site(Path(tmp), posts)
            size_mb = export.stat().st_size / 1e6
            took, peak, imported, saved = _in_child(_import_child, str(settings), str(export))
            assert saved and imported == posts * (COMMENTS_PER_POST - 1), imported
            imported_first = imported
            firsts.append(took)
            peaks.append(peak)
            before = _digest(data)
            took, _, imported, saved = _in_child(_import_child, str(settings), str(export))
            assert imported == 0 and not saved and _digest(data) == before
            seconds.append(took)
            _, peak, count, _ = _in_child(_store_child, str(settings), str(export))
            assert count == imported_first, count
            store_peaks.append(peak)
            _, peak, count, _ = _in_child(_tree_child, str(settings), str(export))
            assert count == comments, count
            tree_peaks.append(peak)
    first, peak, tree_peak, store_peak = (
        statistics.median(v) for v in (firsts, peaks, tree_peaks, store_peaks)
    )
    label = f"{comments:,} comments, {posts} posts, {size_mb:.1f} MB WXR, {rounds} round(s)"
    spread = f"range {min(firsts):.2f}-{max(firsts):.2f} s" if rounds > 1 else "one round"
    return [
        {
            "workload": f"first import ({label}; {spread})",
            "beancan": round(first, 3),
            "baseline": TARGET_SECONDS,
            "ratio": round(first / TARGET_SECONDS, 3),
            "target": f"< {TARGET_SECONDS:g} s",
        },
        {
            "workload": f"peak RSS MB of the import vs only loading its result ({label})",
            "beancan": round(peak, 1),
            "baseline": round(store_peak, 1),
            "ratio": round(peak / store_peak, 3),
            "target": "close to the records' own memory",
        },
        {
            "workload": f"peak RSS MB of the import vs lxml parsing the export whole ({label})",
            "beancan": round(peak, 1),
            "baseline": round(tree_peak, 1),
            "ratio": round(peak / tree_peak, 3),
            "target": "for reference",
        },
        {
            "workload": f"second import, nothing new, no byte written ({label})",
            "beancan": round(statistics.median(seconds), 3),
            "baseline": round(first, 3),
            "ratio": round(statistics.median(seconds) / first, 3),
            "target": "data/ unchanged",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 comments, one round")
    args = parser.parse_args(argv)
    for row in run(quick=args.quick):
        print(f"{row['workload']}\n    beancan {row['beancan']}  baseline {row['baseline']}  "
              f"ratio {row['ratio']}  target {row['target']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
