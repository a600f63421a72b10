"""``collect_people``: the rel=me links of people's home pages, for alias merging.

The collect-time side of ``people``: it fetches the home pages of the people
the store has seen (the most active first, ``BEANCAN_PEOPLE_FETCH_PER_RUN``
a run), reads their ``rel="me"`` links, and keeps them in
``<data>/people.jsonl`` with the date, refreshing each after
``BEANCAN_PEOPLE_REFRESH_DAYS``. A page that another page claims with
rel=me is fetched too (in the same run when the budget allows), since a
claim only counts once the other side confirms it (``PeopleIndex``).

A home page that cannot be read is a warning, not a failed source: the
store is not touched, and what ``people.jsonl`` knew about the page stays.
No rows are added to ``invoke collect``'s table, which counts interactions:
what a run learnt is logged (at INFO) and written to ``people.jsonl``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from .collecting import CollectContext, SourceReport
from .dates import parse_date
from .errors import FetchError
from .graph.people import PeopleIndex, PersonRecord, read_people, rel_me_links, write_people
from .store import InteractionStore
from .urls import url_key

__all__ = ["collect_people", "pages_due", "people_seen"]

logger = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: rel=me links kept per page: enough for anyone, not a way to fill the file.
MAX_LINKS = 50


def people_seen(store: InteractionStore, people: PeopleIndex) -> list[str]:
    """Home pages of everyone the store has seen, most interactions first (ours left out)."""
    counts: Counter[str] = Counter()
    for interaction in store.visible():
        if interaction.direction == "out":  # our comment on their site: the site's owner
            url = people.home_of(interaction.target)
        else:
            url = interaction.author.url or people.home_of(interaction.permalink)
        if url and not people.is_me(url):
            counts[url] += 1
    return sorted(counts, key=lambda url: (-counts[url], url_key(url)))


def _last_attempt(record: PersonRecord) -> str:
    return max(record.fetched, record.failed)


def pages_due(
    candidates: list[str], records: dict[str, PersonRecord], *, now: str, refresh_days: int
) -> list[str]:
    """Which of ``candidates`` to fetch: never fetched first (in the order given),
    then those last tried over ``refresh_days`` ago, the longest ago first."""
    moment = parse_date(now)
    cutoff = (moment - timedelta(days=refresh_days)).isoformat() if moment else now
    new, stale = [], []
    for url in dict.fromkeys(candidates):
        record = records.get(url_key(url))
        if record is None:
            new.append(url)
        elif _last_attempt(record) <= cutoff:
            stale.append(url)
    stale.sort(key=lambda url: (_last_attempt(records[url_key(url)]), url_key(url)))
    return new + stale


async def _read_rel_me(context: CollectContext, url: str) -> tuple[list[str] | None, str]:
    """The page's rel=me links, or None and the reason it could not be read."""
    try:
        response = await context.http.get(url, headers={"Accept": PAGE_ACCEPT})
    except FetchError as exc:
        return None, exc.reason
    finally:
        context.progress(f"home pages: {url}", 1)
    if response.status != 200:
        return None, f"answered HTTP {response.status}"
    if response.content_type not in HTML_TYPES:
        return None, f"not an HTML page ({response.content_type or 'no content type'})"
    own = url_key(url)
    links = [u for u in rel_me_links(response.text, response.url) if url_key(u) != own]
    return links[:MAX_LINKS], ""


async def _fetch(
    context: CollectContext, urls: list[str], records: dict[str, PersonRecord]
) -> tuple[int, int]:
    """Fetch ``urls`` and update ``records``; returns (read, failed) counts."""
    results = await asyncio.gather(*(_read_rel_me(context, url) for url in urls))
    read = failed = 0
    for url, (links, reason) in zip(urls, results, strict=True):
        key = url_key(url)
        old = records.get(key)
        if links is None:
            logger.warning("Home page %s: %s; its rel=me links are kept as they were", url, reason)
            record = replace(old, failed=context.started, error=reason) if old else PersonRecord(
                url, failed=context.started, error=reason
            )  # fmt: skip
            failed += 1
        else:
            name = old.name if old else ""
            record = PersonRecord(url, tuple(links), name=name, fetched=context.started)
            read += 1
        records[key] = record
    return read, failed


async def collect_people(context: CollectContext) -> list[SourceReport]:
    """Refresh ``people.jsonl`` from the home pages that are due (no reports: see above)."""
    settings = context.settings
    budget = settings.conversations.people_fetch_per_run
    if budget < 1:
        return []
    data_dir = Path(settings.data_dir)
    records = {url_key(r.url): r for r in read_people(data_dir)}
    people = PeopleIndex(settings.author_urls, settings.conversations.person_aliases)
    read = failed = 0
    candidates = people_seen(context.store, people)
    fetched: set[str] = set()
    # Two rounds: the pages the store points at, then the pages they claim.
    for _ in range(2):
        claims = [u for r in records.values() for u in r.rel_me if not people.is_me(u)]
        due = pages_due(
            [*candidates, *claims], records, now=context.started,
            refresh_days=settings.conversations.people_refresh_days,
        )  # fmt: skip
        due = [url for url in due if url_key(url) not in fetched][:budget]
        if not due:
            break
        budget -= len(due)
        fetched.update(url_key(url) for url in due)
        counts = await _fetch(context, due, records)
        read, failed = read + counts[0], failed + counts[1]
    if fetched:
        write_people(data_dir, records.values())
        logger.info("rel=me: %d home pages read, %d failed", read, failed)
    return []
