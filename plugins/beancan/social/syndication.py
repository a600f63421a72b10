"""Where a post lives elsewhere: parsing copy URLs, and the list of syndicated posts.

A post says ``Syndication: URL[, URL ...]`` in its metadata. The build
(``plugin.py``) writes every such post to ``<data>/syndication.jsonl`` with its
path on the site and its date; ``invoke collect`` reads that file, so collecting needs
neither Pelican nor the content folder, and reads exactly the URLs the built
site shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..dates import normalize_date
from ..files import read_jsonl, write_jsonl
from ..urls import SiteURLs, canonical_url

__all__ = [
    "MANIFEST_FILE",
    "Copy",
    "SyndicatedPost",
    "parse_copy",
    "read_manifest",
    "write_manifest",
]

MANIFEST_FILE = "syndication.jsonl"
MANIFEST_KIND = "syndication"
BLUESKY_WEB = "bsky.app"

# The status URL forms of servers speaking the Mastodon API:
# Mastodon and Hometown /@user/ID (also /@user@remote/ID) and /users/user/statuses/ID,
# Pleroma and Akkoma /notice/ID, GoToSocial /@user/statuses/ID.
_STATUS_PATHS = (
    re.compile(r"/@[^/]+/(?P<id>[A-Za-z0-9]+)/?\Z"),
    re.compile(r"/users/[^/]+/statuses/(?P<id>[A-Za-z0-9]+)/?\Z"),
    re.compile(r"/notice/(?P<id>[A-Za-z0-9]+)/?\Z"),
    re.compile(r"/@[^/]+/statuses/(?P<id>[A-Za-z0-9]+)/?\Z"),
)
_BLUESKY_PATH = re.compile(
    r"/profile/(?P<actor>[A-Za-z0-9._:-]+)/post/(?P<rkey>[A-Za-z0-9._~-]+)/?\Z"
)


@dataclass(frozen=True, slots=True)
class Copy:
    """One copy of a post on a social network, as its ``Syndication:`` URL names it."""

    platform: str  # "mastodon" or "bluesky"
    url: str  # canonical form of the URL in the metadata
    #: mastodon: the server's origin (scheme://host[:port]); bluesky: "".
    origin: str
    #: mastodon: the status id; bluesky: the post's record key.
    post_id: str
    #: bluesky: the handle or DID in the URL; mastodon: "".
    actor: str = ""

    @property
    def label(self) -> str:
        return "Bluesky" if self.platform == "bluesky" else "Mastodon"

    @property
    def host(self) -> str:
        return urlsplit(self.origin or self.url).netloc


def parse_copy(url: str) -> Copy | None:
    """The copy a syndication URL names, or None for a URL Beancan cannot read."""
    clean = canonical_url(url)
    if not clean:
        return None
    parts = urlsplit(clean)
    if parts.query:
        return None
    if parts.netloc == BLUESKY_WEB:
        found = _BLUESKY_PATH.match(parts.path)
        if found is None:
            return None
        return Copy("bluesky", clean, "", found["rkey"], found["actor"])
    for pattern in _STATUS_PATHS:
        found = pattern.match(parts.path)
        if found:
            return Copy("mastodon", clean, f"{parts.scheme}://{parts.netloc}", found["id"])
    return None


@dataclass(frozen=True, slots=True)
class SyndicatedPost:
    """One of our posts and the copies of it that Beancan can read."""

    #: the post's URL; in the file, its path on the site (the build writes
    #: that, so the file is the same whatever ``SITEURL`` a build used).
    url: str
    published: str
    copies: tuple[Copy, ...]


def write_manifest(data_dir: Path, posts: Iterable[SyndicatedPost]) -> None:
    """Write the syndicated posts (unchanged file: no write, see ``write_jsonl``)."""
    records = sorted(
        (
            {"post": p.url, "published": p.published, "syndication": [c.url for c in p.copies]}
            for p in posts
        ),
        key=lambda r: r["post"],
    )
    write_jsonl(Path(data_dir) / MANIFEST_FILE, MANIFEST_KIND, records)


def read_manifest(data_dir: Path, site: SiteURLs) -> list[SyndicatedPost]:
    """The syndicated posts the last build listed, at ``site``; [] before the first build.

    Raises StoreError naming file and line for a file that is not one.
    """
    posts = []
    for _number, record in read_jsonl(Path(data_dir) / MANIFEST_FILE, MANIFEST_KIND):
        url = canonical_url(site.absolute(str(record.get("post") or "")))
        urls = record.get("syndication")
        if not url or not isinstance(urls, list):
            continue
        copies = tuple(c for c in (parse_copy(str(u)) for u in urls) if c)
        posts.append(SyndicatedPost(url, normalize_date(record.get("published")), copies))
    return posts
