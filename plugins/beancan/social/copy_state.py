"""What collect remembers between runs: ``<data>/social.jsonl``.

Three kinds of line, each keyed so the file diffs well:

* ``{"api": HOST, "confirmed": DATE}``: the host answered the Mastodon API's
  instance endpoint; it is not asked again.
* ``{"handle": HANDLE, "did": DID}``: a Bluesky handle resolved once.
* ``{"copy": URL, ...}``: per copy, when it was last read on schedule
  (``checked``), the like and repost counts last listed in full, and the
  replies it held then (``replies``: public URL → the platform's id), which
  is how a reply that later vanishes is recognized and checked, and the
  Bluesky replies whose authors' bios refused (``refused``), not asked again
  until ``invoke collect --full``.

Nothing in it is precious: losing the file costs a few requests, never data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ..dates import parse_date
from ..files import read_jsonl, write_jsonl

__all__ = ["STATE_FILE", "CopyState", "SocialState", "is_due"]

STATE_FILE = "social.jsonl"
STATE_KIND = "social-state"


@dataclass
class CopyState:
    checked: str = ""
    likes: int = -1  # -1: never listed in full
    reposts: int = -1
    replies: dict[str, str] = field(default_factory=dict)
    #: Bluesky replies left out last time for their author's bio (not asked again).
    refused: tuple[str, ...] = ()

    def to_record(self, url: str) -> dict:
        record: dict = {"copy": url, "likes": self.likes, "reposts": self.reposts}
        if self.checked:
            record["checked"] = self.checked
        if self.replies:
            record["replies"] = dict(sorted(self.replies.items()))
        if self.refused:
            record["refused"] = sorted(self.refused)
        return record


@dataclass
class SocialState:
    path: Path
    apis: dict[str, str] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    copies: dict[str, CopyState] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> SocialState:
        """Read the state; a missing file is a fresh start, a bad one a StoreError."""
        path = Path(data_dir) / STATE_FILE
        state = cls(path)
        for _number, record in read_jsonl(path, STATE_KIND):
            if isinstance(record.get("api"), str):
                state.apis[record["api"]] = str(record.get("confirmed") or "")
            elif isinstance(record.get("handle"), str) and isinstance(record.get("did"), str):
                state.handles[record["handle"]] = record["did"]
            elif isinstance(record.get("copy"), str):
                replies = record.get("replies")
                state.copies[record["copy"]] = CopyState(
                    checked=str(record.get("checked") or ""),
                    likes=_int(record.get("likes")),
                    reposts=_int(record.get("reposts")),
                    replies={
                        str(k): str(v) for k, v in (replies or {}).items()
                    } if isinstance(replies, dict) else {},
                    refused=tuple(u for u in record.get("refused") or () if isinstance(u, str)),
                )  # fmt: skip
        return state

    def save(self) -> None:
        """Write atomically; an unchanged state is not written at all."""
        records = [{"api": host, "confirmed": when} for host, when in sorted(self.apis.items())]
        records += [{"handle": h, "did": d} for h, d in sorted(self.handles.items())]
        records += [self.copies[url].to_record(url) for url in sorted(self.copies)]
        write_jsonl(self.path, STATE_KIND, records)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def is_due(
    published: str, checked: str, now: str, *, recent_days: int, daily_days: int
) -> tuple[bool, bool]:
    """Whether a copy is read this run, and whether the run is recorded as its check.

    Posts younger than ``recent_days`` are read every run: that is when
    nearly all replies come, and recording those checks would rewrite the
    state file on every run. Posts younger than ``daily_days`` are read once
    a day, older ones once a week. A post without a date counts as old.
    """
    moment, born = parse_date(now), parse_date(published)
    if moment is None:
        return True, False
    if born is not None and moment - born < timedelta(days=recent_days):
        return True, False
    interval = timedelta(
        days=1 if born is not None and moment - born < timedelta(days=daily_days) else 7
    )
    last = parse_date(checked)
    # A few minutes' slack: a daily cron job that runs a little early still counts.
    return last is None or moment - last >= interval - timedelta(minutes=10), True
