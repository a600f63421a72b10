"""Write the files a static host needs to answer 410 Gone for deleted posts.

A deleted post is one the sent log knows as ours (we sent Webmentions for
it) that the site no longer publishes. Receivers re-fetch a source when told
it changed (Webmention §3.1.4, §3.2.3): a 410 tells them to remove the
mention, where a 404 might be a transient mistake. A static host cannot
know this by itself, so each build writes:

* ``nginx-gone.conf``: ``location = /path/ { return 410; }`` lines to
  ``include`` inside the site's ``server { }`` block;
* ``_redirects``: Netlify rules ``/path/  /404.html  410``.

Both are sorted and rewritten on every build: same inputs, same bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from ..errors import StoreError
from ..links import post_links
from ..settings import get_settings
from ..webmention.sentlog import SentLog

__all__ = ["NETLIFY_FILE", "NGINX_FILE", "gone_paths", "register", "write_gone_files"]

logger = logging.getLogger(__name__)

NGINX_FILE = "nginx-gone.conf"
NETLIFY_FILE = "_redirects"


def gone_paths(log: SentLog, current_paths: set[str], site) -> list[str]:
    """URL paths of our deleted posts: in the sent log, not published now.

    Compared by path, so a log written with the production SITEURL works for
    a development build too.
    """
    paths = set()
    for entry in log:
        if entry.origin == "site" and site.is_ours(entry.source):
            paths.add(urlsplit(entry.source).path or "/")
    return sorted(p for p in paths if p not in current_paths and p != "/")


def _variants(path: str) -> list[str]:
    # A directory URL is also reachable as .../index.html and without the slash.
    if path.endswith("/"):
        return [path.rstrip("/"), path, path + "index.html"]
    return [path]


def nginx_snippet(paths: list[str]) -> str:
    lines = [
        "# Written by Beancan (beancan.gone) at every build: deleted posts answer 410 Gone.",
        "# include this file inside the site's server { } block; for a friendly body add",
        "#   error_page 410 /404.html;",
    ]
    for path in paths:
        lines += [f"location = {_nginx_quote(v)} {{ return 410; }}" for v in _variants(path)]
    return "\n".join(lines) + "\n"


def _nginx_quote(path: str) -> str:
    # Paths come from our own URLs, but a space or quote must not end the directive.
    if any(ch in path for ch in " \t;{}\"'\\"):
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return path


def netlify_redirects(paths: list[str]) -> str:
    lines = ["# Written by Beancan (beancan.gone): deleted posts answer 410 Gone."]
    for path in paths:
        lines += [f"{v.replace(' ', '%20')}  /404.html  410" for v in _variants(path)]
    return "\n".join(lines) + "\n"


def write_gone_files(output_path: Path, paths: list[str]) -> None:
    output_path.mkdir(parents=True, exist_ok=True)
    (output_path / NGINX_FILE).write_text(nginx_snippet(paths), encoding="utf-8")
    (output_path / NETLIFY_FILE).write_text(netlify_redirects(paths), encoding="utf-8")


def on_generators_finalized(generators) -> None:
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pages = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    if articles is None or pages is None:
        return
    settings = get_settings(articles.settings)
    site = settings.site
    documents = [
        *articles.articles,
        *articles.translations,
        *articles.hidden_articles,
        *pages.pages,
        *pages.translations,
        *pages.hidden_pages,
    ]
    # post_links: each post's URL worked out once a build, shared with the comments and manifest.
    current = {urlsplit(post_links(doc, site).url).path or "/" for doc in documents}
    try:
        log = SentLog.load(settings.data_dir)
    except StoreError as exc:
        logger.error("beancan.gone: %s; no 410 files written", exc)
        return
    paths = gone_paths(log, current, site)
    write_gone_files(Path(articles.output_path), paths)
    if paths:
        logger.info("beancan.gone: %d deleted post(s) answer 410", len(paths))


def register() -> None:
    signals.all_generators_finalized.connect(on_generators_finalized)
