"""What collect remembers per Webmention API: ``data/webmention-state.jsonl``.

Per API (named by its URL, never its token): the highest ``wm-id`` seen (the
next run asks only for newer ones, ``since_id``), when it was last fully
re-synced, and which (source, target) pairs it has listed, so a full re-sync
can tell which mentions vanished from it. One line per fact, sorted, so the
file diffs well.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import StoreError
from ..files import read_jsonl, write_jsonl

__all__ = ["STATE_FILE", "ApiState", "CollectState"]

logger = logging.getLogger(__name__)

STATE_FILE = "webmention-state.jsonl"
STATE_KIND = "webmention-state"


@dataclass
class ApiState:
    since_id: int = 0
    last_full_sync: str = ""
    #: (source, target) pairs this API has listed and we hold.
    members: set[tuple[str, str]] = field(default_factory=set)

    def full_sync_due(self, now: str, days: int) -> bool:
        if not self.last_full_sync:
            return True
        last = datetime.fromisoformat(self.last_full_sync)
        return datetime.fromisoformat(now) >= last + timedelta(days=days)


class CollectState:
    """All APIs' state, loaded from and saved to one file."""

    def __init__(self, path: Path, apis: dict[str, ApiState] | None = None) -> None:
        self.path = path
        self.apis = apis or {}

    @classmethod
    def load(cls, data_dir: Path, *, skip_bad: bool = False) -> CollectState:
        """The state in ``data_dir``; raises StoreError naming file and line.

        ``skip_bad`` (collect): a bad line is a warning naming it and is
        skipped, and the next save writes the file clean. What it held is
        lost: an API's ``since_id`` (the API is then listed from the start,
        as a full re-sync does) or one listed pair (a re-sync cannot then
        remove that one mention should it vanish from the API).
        """
        path = Path(data_dir) / STATE_FILE
        apis: dict[str, ApiState] = {}

        def skip(error: StoreError) -> None:
            logger.warning("%s; that line is skipped", error)

        for number, record in read_jsonl(path, STATE_KIND, on_bad_line=skip if skip_bad else None):
            try:
                _read_line(path, number, record, apis)
            except StoreError as exc:
                if not skip_bad:
                    raise
                skip(exc)
        return cls(path, apis)

    def get(self, api: str) -> ApiState:
        return self.apis.setdefault(api, ApiState())

    def held_elsewhere(self, api: str, pair: tuple[str, str]) -> bool:
        return any(pair in s.members for name, s in self.apis.items() if name != api)

    def save(self) -> None:
        records: list[dict] = []
        for api in sorted(self.apis):
            state = self.apis[api]
            records.append(
                {"api": api, "since_id": state.since_id, "last_full_sync": state.last_full_sync}
            )
            records += [{"api": api, "source": s, "target": t} for s, t in sorted(state.members)]
        write_jsonl(self.path, STATE_KIND, records)


def _read_line(path: Path, number: int, record: dict, apis: dict[str, ApiState]) -> None:
    """Add one line of the state file to ``apis``; StoreError if it is not one we write."""
    api = record.get("api")
    if not isinstance(api, str) or not api:
        raise StoreError(f"{path}:{number}: every line needs an 'api' URL")
    if "source" in record:
        source, target = record.get("source"), record.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            raise StoreError(f"{path}:{number}: 'source' and 'target' must be strings")
        apis.setdefault(api, ApiState()).members.add((source, target))
        return
    since_id, last = record.get("since_id", 0), record.get("last_full_sync", "")
    if not isinstance(since_id, int) or not isinstance(last, str):
        raise StoreError(
            f"{path}:{number}: 'since_id' must be a whole number and 'last_full_sync' a date"
        )
    state = apis.setdefault(api, ApiState())
    state.since_id, state.last_full_sync = since_id, last
