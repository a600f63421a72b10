"""The peers' data files: feed state (``peers.jsonl``) and recent posts (``peer-posts.jsonl``).

Both are written at collect time and read by the build, which therefore
works offline. Feed state holds what conditional GET needs (RFC 9110 §13.1:
``If-None-Match`` from the ETag, ``If-Modified-Since`` from Last-Modified),
the feed found by discovery, and how many runs in a row the peer failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ..dates import normalize_date
from ..errors import StoreError
from ..files import read_jsonl, write_jsonl
from ..sanitize import clean_text, safe_url

__all__ = [
    "POSTS_FILE",
    "STATE_FILE",
    "FeedState",
    "PeerPost",
    "load_posts",
    "load_states",
    "save_posts",
    "save_states",
]

logger = logging.getLogger(__name__)

STATE_FILE = "peers.jsonl"
POSTS_FILE = "peer-posts.jsonl"
SUMMARY_CHARS = 280


@dataclass(slots=True)
class FeedState:
    """What we remember about one peer's feed between runs."""

    peer: str  # the peer's home page (canonical)
    feed: str = ""  # the feed in use: configured or discovered
    feed_type: str = ""  # atom, rss, json, h-feed
    discovered: bool = False
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    last_checked: str = ""
    last_ok: str = ""
    failures: int = 0  # consecutive failed runs
    last_error: str = ""
    #: comment feed URL → {"post": the post it belongs to, "etag": ..., "last_modified": ...}
    comment_feeds: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the peer's other configured feeds → {"etag": ..., "last_modified": ...}
    more_feeds: dict[str, dict[str, str]] = field(default_factory=dict)

    def validators(self) -> dict[str, str]:
        """Conditional request headers for the feed (RFC 9110 §13.1.2, §13.1.3)."""
        return _validators(self.etag, self.last_modified)

    def to_record(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", 0, False, {}) or k == "peer"}


@dataclass(frozen=True, slots=True)
class PeerPost:
    """One recent post of a peer, for the peers page and the neighbourhood list."""

    peer: str
    url: str
    title: str = ""
    published: str = ""
    summary: str = ""

    def to_record(self) -> dict[str, str]:
        values = (("peer", self.peer), ("url", self.url), ("title", self.title),
                  ("published", self.published), ("summary", self.summary))  # fmt: skip
        return {k: v for k, v in values if v}


def _validators(etag: str, last_modified: str) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def comment_validators(state: FeedState, url: str) -> dict[str, str]:
    known = state.comment_feeds.get(url, {})
    return _validators(known.get("etag", ""), known.get("last_modified", ""))


_STATE_FIELDS = {f.name for f in fields(FeedState)}


def load_states(data_dir: Path, *, skip_bad: bool = False) -> dict[str, FeedState]:
    """Feed state by peer home page; raises StoreError naming file and line.

    ``skip_bad`` (collect and the build): a bad line is a warning naming it
    and costs only its peer's state, which the next collect writes afresh.
    """
    path = Path(data_dir) / STATE_FILE
    states = {}
    for number, record in read_jsonl(path, "peers", on_bad_line=_skipper(skip_bad)):
        try:
            state = _state_from_record(path, number, record)
        except StoreError as exc:
            if not skip_bad:
                raise
            _skip(exc)
            continue
        states[state.peer] = state
    return states


def _state_from_record(path: Path, number: int, record: dict[str, Any]) -> FeedState:
    unknown = set(record) - _STATE_FIELDS
    if unknown or not isinstance(record.get("peer"), str):
        unknown_names = ", ".join(sorted(unknown)) or "none"
        raise StoreError(
            f"{path}:{number}: expected a peer record (with 'peer'); "
            f"unknown field(s): {unknown_names}"
        )
    try:
        state = FeedState(**record)
    except TypeError as exc:
        raise StoreError(f"{path}:{number}: {exc}") from exc
    if (
        not isinstance(state.failures, int)
        or not isinstance(state.comment_feeds, dict)
        or not isinstance(state.more_feeds, dict)
    ):
        raise StoreError(f"{path}:{number}: 'failures' must be a number, "
                         "'comment_feeds' and 'more_feeds' objects")  # fmt: skip
    return state


def _skip(error: StoreError) -> None:
    logger.warning("%s; that line is skipped", error)


def _skipper(skip_bad: bool) -> Callable[[StoreError], None] | None:
    return _skip if skip_bad else None


def save_states(data_dir: Path, states: Iterable[FeedState]) -> None:
    records = sorted((s.to_record() for s in states), key=lambda r: r["peer"])
    write_jsonl(Path(data_dir) / STATE_FILE, "peers", records)


def make_post(peer: str, url: str, title: object, published: object, summary: object) -> PeerPost:
    """A PeerPost from untrusted values: URL canonical, text plain and capped."""
    return PeerPost(
        peer=peer,
        url=safe_url(url),
        title=clean_text(title, 200),
        published=normalize_date(published),
        summary=clean_text(summary, SUMMARY_CHARS),
    )


def load_posts(data_dir: Path, *, skip_bad: bool = False) -> dict[str, list[PeerPost]]:
    """Recent posts by peer home page, newest first; ``skip_bad`` as for ``load_states``."""
    path = Path(data_dir) / POSTS_FILE
    posts: dict[str, list[PeerPost]] = {}
    for number, record in read_jsonl(path, "peer-posts", on_bad_line=_skipper(skip_bad)):
        if not isinstance(record.get("peer"), str) or not record.get("url"):
            error = StoreError(f"{path}:{number}: a peer post needs 'peer' and 'url'")
            if not skip_bad:
                raise error
            _skip(error)
            continue
        post = make_post(
            record["peer"], record["url"], record.get("title"), record.get("published"),
            record.get("summary"),
        )  # fmt: skip
        if post.url:
            posts.setdefault(post.peer, []).append(post)
    return {peer: newest_first(peer_posts) for peer, peer_posts in posts.items()}


def merge_posts(old: list[PeerPost], new: list[PeerPost], keep: int) -> list[PeerPost]:
    """The ``keep`` newest posts of old and new together; a new copy replaces an old one."""
    by_url = {p.url: p for p in old}
    by_url.update({p.url: p for p in new if p.url})
    return newest_first(by_url.values())[:keep]


def save_posts(data_dir: Path, posts: dict[str, list[PeerPost]]) -> None:
    records = [p.to_record() for peer in sorted(posts) for p in posts[peer]]
    write_jsonl(Path(data_dir) / POSTS_FILE, "peer-posts", records)


def newest_first(posts: Iterable[PeerPost]) -> list[PeerPost]:
    """Newest first; undated posts last; ties in URL order, so output is stable."""
    by_url = sorted(posts, key=lambda p: p.url)
    return sorted(by_url, key=lambda p: p.published, reverse=True)
