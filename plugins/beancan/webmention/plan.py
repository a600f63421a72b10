"""Deciding what to send: a pure function of the sent log, the site and the clock.

Kept apart from the network code so the rules (idempotence, edits, dropped
links, deletions, retry backoff) are tested without any server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .sentlog import SentEntry, SentLog
from .sources import OutgoingSource

__all__ = ["Job", "is_due", "plan_jobs"]

#: Why a (source, target) is notified: first time; the source changed; the
#: source no longer links it; the source was deleted; an earlier try failed.
REASONS = ("new", "changed", "dropped", "deleted", "retry")


@dataclass(frozen=True, slots=True)
class Job:
    source: str
    target: str
    digest: str
    reason: str
    #: what the log should say after this job: does the source still link it?
    linked: bool = True
    gone: bool = False
    origin: str = "site"


def is_due(entry: SentEntry, now: str, retry_seconds: int) -> bool:
    """A failed notification whose backoff (doubling per attempt) has run out."""
    if entry.status != "retry":
        return False
    if not entry.last_attempt:
        return True
    delay = retry_seconds * 2 ** max(entry.attempts - 1, 0)
    due = datetime.fromisoformat(entry.last_attempt) + timedelta(seconds=delay)
    return datetime.fromisoformat(now) >= due


def plan_jobs(
    log: SentLog,
    sources: Iterable[OutgoingSource],
    now: str,
    *,
    retry_seconds: int,
    whole_site: bool = True,
    origin: str = "site",
) -> list[Job]:
    """Every notification this run must send, sorted by source then target.

    ``whole_site`` says ``sources`` is every document of the site, so a site
    source missing from it was deleted (Webmention §3.1.4 "Sending Webmentions
    for Deleted Posts": the receiver re-fetches the source and sees 410).
    """
    jobs: list[Job] = []
    current = {s.url: s for s in sources}
    logged = log.by_source()
    for url, source in sorted(current.items()):
        targets = set(source.targets)
        for target in source.targets:
            entry = log.get(url, target)
            if entry is None:
                reason = "new"
            elif not entry.linked or entry.gone or entry.hash != source.digest:
                reason = "changed"
            elif is_due(entry, now, retry_seconds):
                reason = "retry"
            else:
                continue
            jobs.append(Job(url, target, source.digest, reason, origin=origin))
        for entry in logged.get(url, []):
            if entry.target in targets:
                continue
            # Webmention §3.1.3: after an update, also notify links that were removed.
            if entry.linked:
                jobs.append(
                    Job(url, entry.target, source.digest, "dropped", False, origin=entry.origin)
                )
            elif is_due(entry, now, retry_seconds):
                jobs.append(
                    Job(url, entry.target, entry.hash, "retry", False, entry.gone, entry.origin)
                )
    if whole_site:
        for url, entries in logged.items():
            if url in current:
                continue
            for entry in entries:
                if entry.origin != "site":
                    continue
                if not entry.gone:
                    jobs.append(Job(url, entry.target, "", "deleted", False, True))
                elif is_due(entry, now, retry_seconds):
                    jobs.append(Job(url, entry.target, "", "retry", False, True))
    return sorted(jobs, key=lambda j: (j.source, j.target))
