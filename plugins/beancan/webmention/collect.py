"""Collect from every JF2 Webmention API in ``BEANCAN_WEBMENTION_APIS``.

Every page is fetched until one comes back empty (webmention.io serves 20 a
page unless asked otherwise, and may cap what it is asked for, so a short
page is not taken as the last one). Each page is merged as soon as it is
read, the API's ``since_id`` moving with it, and both are saved every
``SAVE_EVERY`` seconds and whenever the listing stops: a failure later (down,
5xx, garbage JSON, timeout) costs only the pages not read yet, and the source
is reported as failed. A page over the byte cap is asked for again in smaller
pages, halving down to one entry; an entry too large on its own is skipped
and reported. One bad entry costs only itself. Full re-syncs (every
``BEANCAN_WEBMENTION_RESYNC_DAYS``, or ``invoke collect --full``) list
everything and remove what vanished, only when the listing was complete.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..collecting import CollectContext, SourceReport
from ..errors import FetchError, SourceError
from ..http import ResponseTooLarge
from ..model import Interaction
from ..store import now_iso
from .collect_state import ApiState, CollectState
from .jf2 import deletion_of, from_jf2, wm_id

__all__ = ["ApiError", "collect_webmention_apis", "fetch_pages"]

logger = logging.getLogger(__name__)

#: A runaway API (one that ignores ``page``) stops here at the latest.
MAX_PAGES = 10_000
#: Seconds between saves while an API is listed: a crash costs at most this much
#: reading, and a re-sync of 20,000 mentions does not rewrite the store 200 times
#: (0.4 s each at that size). Any failure saves at once.
SAVE_EVERY = 5.0
#: Channels a Webmention API speaks for; a re-sync only removes what it alone saw.
API_CHANNELS = frozenset({"webmention", "pingback"})


class ApiError(SourceError):
    """An API answered something that is not a JF2 feed page."""


def _api_name(url: str) -> str:
    """The API's URL without query (where a token may hide), for reports and state."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _token(api: dict[str, str]) -> str:
    if api.get("token_env"):
        return os.environ.get(api["token_env"], "")
    return api.get("token", "")


@dataclass
class _Cursor:
    """Where the listing is: entries after ``since``, page ``page`` of ``per_page``."""

    since: int
    per_page: int
    page: int = 0
    #: the highest wm-id read so far (every entry up to it has been handed out).
    max_id: int = 0
    seen: set[int] = field(default_factory=set)

    def restart_after_max(self, per_page: int) -> None:
        """Go on after everything read so far, in pages of ``per_page``."""
        if self.max_id > self.since:
            self.since, self.page = self.max_id, 0
        else:  # no ids to resume after: the same offset in the new page size
            self.page = self.page * self.per_page // per_page
        self.per_page = per_page


async def fetch_pages(
    context: CollectContext, api: dict[str, str], since_id: int, report: SourceReport
) -> AsyncIterator[list[dict[str, Any]]]:
    """Each page's entries (and reported deletions) after ``since_id``, in order.

    Raises ApiError when the API cannot be read any further; what was
    yielded before stays valid. Over-cap pages shrink (see module doc).
    """
    name = _api_name(api["url"])
    wanted = context.settings.webmention.per_page
    base: dict[str, Any] = {"sort-by": "created", "sort-dir": "up"}
    if token := _token(api):
        base["token"] = token
    separator = "&" if "?" in api["url"] else "?"
    cursor = _Cursor(since=since_id, per_page=wanted, max_id=since_id)
    for _ in range(MAX_PAGES):
        query = {**base, "per-page": cursor.per_page, "page": cursor.page}
        if cursor.since:
            query["since_id"] = cursor.since
        try:
            response = await context.http.get(
                api["url"] + separator + urlencode(query), headers={"Accept": "application/json"}
            )
        except ResponseTooLarge as exc:
            if cursor.per_page > 1:
                logger.info("%s page %d is over the cap; asking for %d a page", name,
                            cursor.page, cursor.per_page // 2)  # fmt: skip
                cursor.restart_after_max(cursor.per_page // 2)
                continue
            # One entry alone is over the cap: its id cannot be read, its place can.
            report.skip("too large", f"the entry after wm-id {cursor.max_id}", exc.reason)
            cursor.page += 1
            continue
        except FetchError as exc:
            # exc.url carries the token: report the reason only.
            raise ApiError(f"page {cursor.page}: {exc.reason}") from exc
        children, deleted = _feed_page(response.status, response.content, cursor.page)
        if not children and not deleted:
            return
        ids = {i for i in (wm_id(c) for c in children if isinstance(c, dict)) if i is not None}
        if cursor.page and ids and ids <= cursor.seen:
            raise ApiError(f"page {cursor.page} repeats earlier entries: {name} ignores 'page'")
        cursor.seen |= ids
        context.progress(f"{name} page {cursor.page + 1}", 1)
        yield children + deleted
        cursor.max_id = max(cursor.max_id, *ids) if ids else cursor.max_id
        if cursor.per_page < wanted and cursor.max_id > cursor.since:
            # Past the large entries: back towards the page size asked for.
            cursor.restart_after_max(min(wanted, cursor.per_page * 2))
        else:
            cursor.page += 1
    raise ApiError(f"more than {MAX_PAGES} pages")


def _feed_page(status: int, content: bytes, page: int) -> tuple[list[Any], list[dict]]:
    """``(children, deletions)`` of one JF2 feed page; ApiError if it is not one."""
    if status != 200:
        raise ApiError(f"page {page} answered HTTP {status}")
    try:
        feed = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise ApiError(f"page {page} is not JSON ({exc})") from exc
    children = feed.get("children") if isinstance(feed, dict) else None
    deleted = feed.get("deleted", []) if isinstance(feed, dict) else None
    if not isinstance(children, list) or not isinstance(deleted, list):
        raise ApiError(f"page {page} is not a JF2 feed (no 'children' list)")
    return children, [dict(d, **{"wm-deleted": True}) for d in deleted if isinstance(d, dict)]


async def collect_webmention_apis(context: CollectContext) -> list[SourceReport]:
    """Collect every API in ``BEANCAN_WEBMENTION_APIS``; one SourceReport each."""
    apis = context.settings.webmention.apis
    if not apis:
        return []
    state = CollectState.load(context.settings.data_dir, skip_bad=True)
    reports = []
    for api in apis:
        report = SourceReport(source=_api_name(api["url"]))
        try:
            await _collect_one(context, api, state, report)
        except ApiError as exc:
            report.failed = str(exc)
        except Exception as exc:  # noqa: BLE001 - whatever one API serves costs only that API
            report.failed = f"{type(exc).__name__}: {exc}"
        if report.failed:
            logger.warning(
                "Webmention API %s failed: %s; the store keeps what it had and what was read",
                report.source,
                report.failed,
            )
        reports.append(report)
    return reports


async def _collect_one(
    context: CollectContext, api: dict[str, str], state: CollectState, report: SourceReport
) -> None:
    name = report.source
    api_state = state.apis.get(name) or ApiState()
    now = now_iso()
    full = context.full_resync or api_state.full_sync_due(
        now, context.settings.webmention.resync_days
    )
    listed: set[tuple[str, str]] = set()
    saved = time.monotonic()
    try:
        async for entries in fetch_pages(context, api, 0 if full else api_state.since_id, report):
            max_id = await _merge_page(context, entries, api_state, listed, report, now)
            # Never backwards: a full re-sync starts from 0 but has read past this before.
            api_state.since_id = max(api_state.since_id, max_id)
            state.apis[name] = api_state
            if time.monotonic() - saved >= SAVE_EVERY:
                _save(context, state)
                saved = time.monotonic()
    finally:
        # Whatever stops the listing, the pages read so far are kept.
        _save(context, state)
    if full:
        for pair in sorted(api_state.members - listed):
            api_state.members.discard(pair)
            record = context.store.get(*pair)
            if record is None or state.held_elsewhere(name, pair):
                continue
            # Only what this API alone brought: a feed may still list it.
            if set(record.channels) <= API_CHANNELS and context.store.delete(*pair, now):
                report.deleted += 1
        api_state.last_full_sync = now
    state.apis[name] = api_state
    _save(context, state)


def _save(context: CollectContext, state: CollectState) -> None:
    # The store is written before the state that points past what it holds:
    # a crash in between re-fetches mentions, it never skips them.
    context.store.save()
    state.save()


async def _merge_page(
    context: CollectContext,
    entries: list[Any],
    api_state: ApiState,
    listed: set[tuple[str, str]],
    report: SourceReport,
    now: str,
) -> int:
    """Merge one page into the store; returns the highest wm-id on it (0 if none)."""
    from ..avatar_fetch import fetch_avatars

    interactions: list[Interaction] = []
    deletions: list[tuple[str, str]] = []
    max_id = 0
    for entry in entries:
        if not isinstance(entry, dict):
            report.skip("not an entry", "an item", f"a JSON {type(entry).__name__}")
            continue
        max_id = max(max_id, wm_id(entry) or 0)
        what = f"entry {_shown(entry.get('wm-id'))}"
        try:
            gone = deletion_of(entry)
            if gone:
                deletions.append(gone)
            elif entry.get("wm-private") is True:  # private mentions are never published
                report.skipped["private"] += 1
            else:
                interactions.append(from_jf2(entry))
        except ValueError as exc:
            report.skip("no usable source or target", what, exc)
        except Exception as exc:  # noqa: BLE001 - a bad entry costs only itself
            report.skip("unreadable", what, f"{type(exc).__name__}: {exc}")
    interactions = await fetch_avatars(context, interactions)
    for interaction in interactions:
        result = context.try_add(interaction, report)
        if result is not None:
            pair = (result.interaction.source, result.interaction.target)
            listed.add(pair)
            api_state.members.add(pair)
    for source, target in deletions:
        if context.store.delete(source, target, now) is not None:
            report.deleted += 1
        api_state.members.discard(_pair(context, source, target))
    return max_id


def _shown(value: Any) -> str:
    """A wm-id as the log may show it: short whatever the API sent."""
    return repr(value)[:40]


def _pair(context: CollectContext, source: str, target: str) -> tuple[str, str]:
    record = context.store.get(source, target)
    return (record.source, record.target) if record else (source, target)
