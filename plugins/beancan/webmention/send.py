"""``invoke send``: notify every page our posts link to, by Webmention or pingback.

Every job runs at once under the HttpClient's limits (a global and a
per-host semaphore), so a thousand links to a hundred slow hosts take about
as long as the slowest host's share, not the sum of them all. Discovery is
done once per target per run, however many of our posts link it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

from ..errors import AddressError, FetchError
from ..http import HttpClient
from ..settings import BeancanSettings
from ..store import now_iso
from ..urls import host_of
from .endpoint_discovery import Endpoints, discover
from .pingback import Outcome, send_pingback
from .plan import Job, plan_jobs
from .sentlog import SentEntry, SentLog
from .sources import OutgoingSource

__all__ = ["SendReport", "send_webmention", "send_webmentions"]

logger = logging.getLogger(__name__)

#: Statuses a Webmention endpoint may redirect a POST with; the POST is repeated.
_REPOST = frozenset({301, 302, 307, 308})


@dataclass
class SendReport:
    """What one ``invoke send`` did (or, with ``--dry-run``, would do)."""

    jobs: list[Job] = field(default_factory=list)
    results: list[tuple[Job, Outcome]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(outcome.status for _job, outcome in self.results)

    @property
    def failed(self) -> int:
        """Notifications not delivered for our reasons or the network's (a 4xx is an answer)."""
        return sum(1 for _job, o in self.results if o.status in ("retry", "gave-up"))

    def exit_code(self, strict: bool = False) -> int:
        """The process's exit status for this run (README "Exit status").

        0 when send ran, whatever single targets did: their failures are in
        the report and the sent log, and are retried next time. 1 when
        nothing got out (every notification failed: no network at all), or,
        with ``strict``, when any one failed.
        """
        failed = self.failed
        if failed and (strict or failed == len(self.results)):
            return 1
        return 0


async def send_webmention(http: HttpClient, endpoint: str, source: str, target: str) -> Outcome:
    """POST form-encoded ``source`` and ``target`` (Webmention §3.1.2); never raises.

    Any 2xx is success, its ``Location`` recorded (201 and 202 carry a status
    URL); 4xx is permanent; 5xx, timeouts and network failures are retried on
    a later run. A redirected POST is repeated at the new address; a 303 is
    the receiver's "accepted, see there".
    """
    url = endpoint
    done: dict[str, Any] = dict(protocol="webmention", endpoint=endpoint)
    for _hop in range(http.max_redirects + 1):
        try:
            response = await http.post(
                url, data={"source": source, "target": target}, follow_redirects=False
            )
        except AddressError as exc:
            return Outcome("rejected", error=exc.reason, **done)
        except FetchError as exc:
            return Outcome("retry", error=exc.reason, **done)
        status = response.status
        location = response.headers.get("location", "").strip()
        if status in _REPOST and location:
            url = urljoin(url, location)
            continue
        if 200 <= status < 300 or (status == 303 and location):
            return Outcome(
                "sent",
                http_status=status,
                location=urljoin(url, location) if location else "",
                **done,
            )
        if status >= 500:
            return Outcome("retry", http_status=status, error="server error", **done)
        return Outcome("rejected", http_status=status, error=_short(response.text), **done)
    return Outcome("retry", error=f"more than {http.max_redirects} redirects", **done)


def _short(text: str) -> str:
    return " ".join(text.split())[:200]


class _Sender:
    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self._discovered: dict[str, asyncio.Task[Endpoints]] = {}

    def endpoints(self, target: str) -> asyncio.Task[Endpoints]:
        if target not in self._discovered:
            self._discovered[target] = asyncio.ensure_future(discover(self.http, target))
        return self._discovered[target]

    async def close(self) -> None:
        pending = [t for t in self._discovered.values() if not t.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def run(self, job: Job) -> Outcome:
        try:
            # shield: one job's cancellation must not cancel a discovery others share.
            found = await asyncio.shield(self.endpoints(job.target))
        except AddressError as exc:
            return Outcome("rejected", error=exc.reason)
        except FetchError as exc:
            return Outcome("retry", error=exc.reason)
        if found.status >= 500:
            return Outcome("retry", http_status=found.status, error="target answered a 5xx")
        if found.webmention:
            return await send_webmention(self.http, found.webmention, job.source, job.target)
        if found.pingback:
            return await send_pingback(self.http, found.pingback, job.source, job.target)
        if found.status and not 200 <= found.status < 300:
            return Outcome(
                "no-endpoint",
                http_status=found.status,
                error=f"target answered HTTP {found.status}",
            )
        return Outcome("no-endpoint", http_status=found.status)


def interleave_by_host(jobs: list[Job]) -> list[Job]:
    """Jobs reordered to take each target host in turn (first job of each host, then second...)."""
    by_host: dict[str, list[Job]] = {}
    for job in jobs:
        by_host.setdefault(host_of(job.target), []).append(job)
    rounds = itertools.zip_longest(*by_host.values())
    return [job for round_ in rounds for job in round_ if job is not None]


def record(log: SentLog, job: Job, outcome: Outcome, when: str, max_attempts: int) -> SentEntry:
    """Write one job's outcome into the log and return the new entry."""
    previous = log.get(job.source, job.target)
    attempts = (previous.attempts if previous and job.reason == "retry" else 0) + 1
    status = outcome.status
    if status == "retry" and attempts >= max_attempts:
        status = "gave-up"
    entry = SentEntry(
        source=job.source,
        target=job.target,
        hash=job.digest,
        status=status,
        protocol=outcome.protocol,
        endpoint=outcome.endpoint,
        attempts=attempts,
        last_attempt=when,
        location=outcome.location,
        http_status=outcome.http_status,
        error=outcome.error,
        linked=job.linked,
        gone=job.gone,
        origin=job.origin,
    )
    log.put(entry)
    return entry


async def send_webmentions(
    settings: BeancanSettings,
    sources: Iterable[OutgoingSource],
    *,
    whole_site: bool = True,
    origin: str = "site",
    dry_run: bool = False,
    now: str | None = None,
    **http_overrides: Any,
) -> SendReport:
    """Plan from the sent log, send what is due, and save the log (even if interrupted)."""
    now = now or now_iso()
    log = SentLog.load(settings.data_dir)
    jobs = plan_jobs(
        log,
        sources,
        now,
        retry_seconds=settings.webmention.send_retry_seconds,
        whole_site=whole_site,
        origin=origin,
    )
    report = SendReport(jobs=jobs, dry_run=dry_run)
    if dry_run or not jobs:
        return report
    async with HttpClient.from_settings(settings, **http_overrides) as http:
        sender = _Sender(http)

        async def one(job: Job) -> None:
            outcome = await sender.run(job)
            entry = record(log, job, outcome, now_iso(), settings.webmention.send_max_attempts)
            outcome = replace(outcome, status=entry.status)  # "retry" may have become "gave-up"
            report.results.append((job, outcome))
            if outcome.status in ("retry", "rejected"):
                logger.warning(
                    "%s -> %s: %s %s",
                    job.source,
                    job.target,
                    outcome.status,
                    outcome.error or outcome.http_status,
                )

        # A pool of workers, each doing one job (discovery, then the POST) at a time,
        # so the POST reuses the discovery's kept-alive connection; the queue takes
        # hosts in turn, so workers spread over hosts instead of queueing on one.
        queue = iter(interleave_by_host(jobs))

        async def worker() -> None:
            for job in queue:
                await one(job)

        try:
            await asyncio.gather(
                *(worker() for _ in range(min(settings.http.concurrency, len(jobs))))
            )
        finally:
            await sender.close()
            log.save()
    return report
