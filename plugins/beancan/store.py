"""The interaction store: ``data/interactions.jsonl``, one record a line.

Merging is the one place where the rules for dedupe, updates, moderation
decisions and deletions live; every channel (webmention APIs, peer feeds,
the receiver, imports) goes through ``InteractionStore.merge``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreError
from .files import read_jsonl_body, write_jsonl
from .model import Interaction, check_stored, interaction_from_line, interactions_from_lines
from .urls import url_key

__all__ = [
    "STORE_FILE",
    "InteractionStore",
    "MergeResult",
    "SkippedLine",
    "load_for_build",
    "now_iso",
    "record_key",
]

STORE_FILE = "interactions.jsonl"
STORE_KIND = "interactions"
STORE_VERSION = 1

logger = logging.getLogger(__name__)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def record_key(source: str, target: str) -> str:
    """The identity of a record: every URL form of (source, target) gives one key."""
    return f"{url_key(source)} {url_key(target)}"


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A record line the loader could not read: kept verbatim, never rendered."""

    number: int
    reason: str
    raw: bytes


@dataclass(frozen=True, slots=True)
class MergeResult:
    outcome: str  # "new", "updated", "unchanged", "ignored"
    interaction: Interaction


class InteractionStore:
    """All interactions, keyed by (source, target), loaded from and saved to one file."""

    def __init__(
        self,
        path: Path,
        records: dict[str, Interaction] | None = None,
        skipped: list[SkippedLine] | None = None,
    ) -> None:
        self.path = path
        self._records: dict[str, Interaction] = records or {}
        #: lines loading skipped (each logged with file:line); ``save`` keeps them.
        self.skipped: list[SkippedLine] = skipped or []

    @classmethod
    def load(cls, data_dir: Path) -> InteractionStore:
        """Read the store; a missing file is an empty store.

        A bad header (or a file that is not UTF-8 JSON Lines at all) is a
        StoreError naming the file: nothing may overwrite what it did not
        understand. A bad *record* costs only itself: it is logged with
        file:line, left out of ``iter(store)``, listed in ``skipped``, and
        written back verbatim by ``save``, so a hand edit gone wrong is never
        lost and keeps being reported until someone fixes the line.
        """
        path = Path(data_dir) / STORE_FILE
        body = read_jsonl_body(path, STORE_KIND, STORE_VERSION)
        if body is None:
            return cls(path, {})
        decoded = interactions_from_lines(body)
        if decoded is not None:
            records = {record_key(i.source, i.target): i for i in decoded}
            if len(records) == len(decoded):
                return cls(path, records)
        # A line the store would not write (or a record twice): line by line,
        # to put a hand edit right or to name the line that is wrong.
        records, skipped = _read_records(path, body)
        return cls(path, records, skipped)

    def save(self) -> None:
        """Write every record, sorted, then the skipped lines as they were read."""
        write_jsonl(
            self.path,
            STORE_KIND,
            (self._records[key].to_record() for key in sorted(self._records)),
            STORE_VERSION,
            trailing=[line.raw for line in self.skipped],
        )

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Interaction]:
        return iter(self._records.values())

    def get(self, source: str, target: str) -> Interaction | None:
        return self._records.get(record_key(source, target))

    def visible(self) -> Iterator[Interaction]:
        """What pages may show: approved, not deleted."""
        return (i for i in self._records.values() if i.status == "approved")

    def by_source(self, source: str) -> list[Interaction]:
        key = url_key(source)
        return [i for i in self._records.values() if url_key(i.source) == key]

    def merge(self, incoming: Interaction, seen_at: str | None = None) -> MergeResult:
        """Add or update one interaction, following the store's rules.

        * The same (source, target) from another channel is the same record;
          its channels are joined.
        * The newer version (by ``updated``, else by when it was seen) gives
          the content; an older copy never overwrites a newer one.
        * A moderation decision already taken sticks; only a pending record
          can be approved by what comes in.
        * A deleted record stays deleted unless the source is seen again
          after it was deleted.

        Raises ValueError, and changes nothing, for a record the loader
        would not read back (``model.check_stored``): the store is written
        only with what it can load.
        """
        check_stored(incoming)
        seen_at = seen_at or now_iso()
        key = record_key(incoming.source, incoming.target)
        existing = self._records.get(key)
        if existing is None:
            merged = incoming.with_changes(
                first_seen=incoming.first_seen or seen_at,
                last_seen=max(incoming.last_seen, seen_at),
                channels=tuple(sorted(set(incoming.channels))),
            )
            self._records[key] = merged
            return MergeResult("new", merged)
        if existing.status == "deleted":
            if _version_date(incoming, seen_at) <= existing.deleted_at:
                return MergeResult("ignored", existing)
            existing = existing.with_changes(status="pending", deleted_at="")
        newer = _version_date(incoming, seen_at) >= _version_date(existing, existing.last_seen)
        base = incoming if newer else existing
        status = existing.status
        if status == "pending" and incoming.status == "approved":
            status = "approved"
        merged = base.with_changes(
            channels=tuple(sorted(set(existing.channels) | set(incoming.channels))),
            status=status,
            first_seen=min(filter(None, (existing.first_seen, incoming.first_seen, seen_at))),
            last_seen=max(existing.last_seen, incoming.last_seen, seen_at),
            avatar=base.avatar or existing.avatar or incoming.avatar,
            deleted_at="",
        )
        self._records[key] = merged
        if _content(merged) == _content(existing) and merged.status == existing.status:
            return MergeResult("unchanged", merged)
        return MergeResult("updated", merged)

    def delete_source(self, source: str, when: str | None = None) -> list[Interaction]:
        """Mark every record from ``source`` deleted (410, or no longer linking).

        The record stays, without its content, so an older copy seen later
        cannot bring it back.
        """
        when = when or now_iso()
        deleted = []
        for key, interaction in list(self._records.items()):
            if url_key(interaction.source) == url_key(source) and interaction.status != "deleted":
                self._records[key] = _tombstone(interaction, when)
                deleted.append(self._records[key])
        return deleted

    def delete(self, source: str, target: str, when: str | None = None) -> Interaction | None:
        key = record_key(source, target)
        interaction = self._records.get(key)
        if interaction is None or interaction.status == "deleted":
            return None
        self._records[key] = _tombstone(interaction, when or now_iso())
        return self._records[key]

    def set_status(self, keys: Iterable[str], status: str) -> int:
        changed = 0
        for key in keys:
            interaction = self._records.get(key)
            if interaction is not None and interaction.status not in (status, "deleted"):
                self._records[key] = interaction.with_changes(status=status)
                changed += 1
        return changed

    def remove(self, keys: Iterable[str]) -> int:
        """Forget records entirely (``invoke forget``); no tombstone is kept."""
        return sum(1 for key in list(keys) if self._records.pop(key, None) is not None)

    def items(self) -> Iterator[tuple[str, Interaction]]:
        return iter(self._records.items())


def load_for_build(data_dir: Path) -> InteractionStore:
    """The store, read for one plugin of a build, with its skipped records summed up in the log.

    Each call reads the file: nothing is kept between calls, so nothing
    outlives a build and ``--autoreload`` always sees the file as it is. In a
    normal build the readers (the comment sections, the conversations graph)
    each run in a second process of their own, so no process reads it twice;
    with ``BEANCAN_BACKGROUND = False`` the three readers (the peers page
    too) each read it in Pelican's process: with 20,000 records, 0.13 s of
    CPU for each after the first, measured. Plugins must treat the result
    as read-only.
    """
    path = Path(data_dir) / STORE_FILE
    store = InteractionStore.load(Path(data_dir))
    if store.skipped:
        # The build goes on with everything else; this line is its summary.
        logger.warning(
            "%s: %d record(s) skipped (see the warnings naming their lines); "
            "every other record renders",
            path,
            len(store.skipped),
        )
    return store


def _read_records(path: Path, body: bytes) -> tuple[dict[str, Interaction], list[SkippedLine]]:
    """Every readable record by key, and the lines that are not, each logged."""
    records: dict[str, Interaction] = {}
    skipped: list[SkippedLine] = []
    for number, raw in enumerate(body.splitlines(), start=2):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            interaction = interaction_from_line(raw, where)
            key = record_key(interaction.source, interaction.target)
            if key in records:
                raise StoreError(f"{where}: a second record for {interaction.source} -> "
                                 f"{interaction.target}; merge or delete one of them")  # fmt: skip
        except StoreError as exc:
            logger.warning("%s; record skipped (kept in the file as it is)", exc)
            skipped.append(SkippedLine(number, str(exc), raw))
            continue
        records[key] = interaction
    return records, skipped


def _version_date(interaction: Interaction, seen_at: str) -> str:
    return interaction.updated or interaction.last_seen or seen_at


def _content(interaction: Interaction) -> tuple:
    return (
        interaction.kind, interaction.url, interaction.in_reply_to, interaction.author,
        interaction.name, interaction.content_html, interaction.published,
        interaction.updated, interaction.rsvp, interaction.channels,
    )  # fmt: skip


def _tombstone(interaction: Interaction, when: str) -> Interaction:
    return interaction.with_changes(
        status="deleted", deleted_at=when, content_html="", content_text="", name=""
    )
