"""The sent log, ``data/sent.jsonl``: what ``invoke send`` told whom, and when.

One record per (source, target). It makes sending idempotent: a source whose
content hash has not changed is not sent again; a changed source re-sends to
its current targets and to the targets it dropped; a source that vanished
from the site notifies its former targets once. Records are sorted by source
then target so ``git diff`` shows what a run did.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..files import read_jsonl, write_jsonl

__all__ = ["FINAL_STATUSES", "SENT_LOG_FILE", "STATUSES", "SentEntry", "SentLog"]

SENT_LOG_FILE = "sent.jsonl"
SENT_LOG_KIND = "sent"
#: sent: a Webmention endpoint accepted it (2xx); pinged: a pingback server did;
#: no-endpoint: the target advertises neither; rejected: a 4xx or a pingback
#: fault (permanent); retry: 5xx, timeout or network failure (tried again later);
#: gave-up: still failing after BEANCAN_SEND_MAX_ATTEMPTS attempts.
STATUSES = ("sent", "pinged", "no-endpoint", "rejected", "retry", "gave-up")
FINAL_STATUSES = frozenset(STATUSES) - {"retry"}
#: site: found in the built site (it may vanish, and then it is "gone");
#: page: sent with ``invoke send --url`` (never treated as deleted).
ORIGINS = ("site", "page")


@dataclass(frozen=True, slots=True)
class SentEntry:
    source: str
    target: str
    #: the source's content hash when this target was last notified.
    hash: str = ""
    status: str = "no-endpoint"
    #: "webmention" or "pingback": which protocol the endpoint speaks.
    protocol: str = ""
    endpoint: str = ""
    #: attempts at the current version of the source (reset when it changes).
    attempts: int = 0
    last_attempt: str = ""
    #: the receiver's status URL (``Location`` of a 201/202).
    location: str = ""
    http_status: int = 0
    error: str = ""
    #: the source still links to the target (False after a dropped-link notice).
    linked: bool = True
    #: the source was deleted from the site and the target was told.
    gone: bool = False
    origin: str = "site"

    def to_record(self) -> dict[str, Any]:
        record = asdict(self)
        keep = {"source", "target", "status", "linked"}
        return {k: v for k, v in record.items() if k in keep or v not in ("", 0, False)}


_FIELDS = {f.name: f for f in fields(SentEntry)}


def _entry_from_record(record: dict[str, Any], where: str) -> SentEntry:
    unknown = set(record) - set(_FIELDS)
    if unknown:
        raise StoreError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(record.get("source"), str) or not isinstance(record.get("target"), str):
        raise StoreError(f"{where}: 'source' and 'target' must be strings")
    if record.get("status") not in STATUSES:
        raise StoreError(
            f"{where}: status {record.get('status')!r} is not one of {', '.join(STATUSES)}"
        )
    if record.get("origin", "site") not in ORIGINS:
        raise StoreError(f"{where}: origin {record.get('origin')!r} is not site or page")
    for name, value in record.items():
        kind = str(_FIELDS[name].type)
        expected = {"int": int, "bool": bool}.get(kind, str)
        if type(value) is not expected:
            what = {"int": "a whole number", "bool": "true or false"}.get(kind, "a string")
            raise StoreError(f"{where}: {name!r} must be {what}")
    return SentEntry(**record)


class SentLog:
    """Every (source, target) the site has notified, loaded from and saved to one file."""

    def __init__(self, path: Path, entries: dict[tuple[str, str], SentEntry] | None = None):
        self.path = path
        self._entries = entries or {}

    @classmethod
    def load(cls, data_dir: Path) -> SentLog:
        """Read the log; a missing file is an empty log, a bad one a StoreError."""
        path = Path(data_dir) / SENT_LOG_FILE
        entries: dict[tuple[str, str], SentEntry] = {}
        for number, record in read_jsonl(path, SENT_LOG_KIND):
            entry = _entry_from_record(record, f"{path}:{number}")
            entries[(entry.source, entry.target)] = entry
        return cls(path, entries)

    def save(self) -> None:
        write_jsonl(
            self.path,
            SENT_LOG_KIND,
            (self._entries[key].to_record() for key in sorted(self._entries)),
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[SentEntry]:
        return iter(self._entries.values())

    def get(self, source: str, target: str) -> SentEntry | None:
        return self._entries.get((source, target))

    def put(self, entry: SentEntry) -> None:
        self._entries[(entry.source, entry.target)] = entry

    def by_source(self) -> dict[str, list[SentEntry]]:
        grouped: dict[str, list[SentEntry]] = {}
        for key in sorted(self._entries):
            grouped.setdefault(key[0], []).append(self._entries[key])
        return grouped

    def gone_sources(self, current: set[str] | None = None) -> list[str]:
        """Site sources that were deleted: marked gone, or absent from ``current``."""
        gone = set()
        for entry in self._entries.values():
            if entry.origin != "site":
                continue
            if entry.gone or (current is not None and entry.source not in current):
                gone.add(entry.source)
        if current is not None:
            gone -= current
        return sorted(gone)


def updated(entry: SentEntry, **changes: Any) -> SentEntry:
    return replace(entry, **changes)
