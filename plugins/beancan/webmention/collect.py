"""Collect from every JF2 Webmention API in ``BEANCAN_WEBMENTION_APIS``.

Each API is read completely before anything is merged: every page is
fetched until one comes back empty (webmention.io serves 20 a page unless
asked otherwise, and may cap what it is asked for, so a short page is not
taken as the last one). A source that fails on any page (down, 5xx, garbage
JSON, timeout) is reported as failed, and neither the store nor its
``since_id`` moves. Full re-syncs (every ``BEANCAN_WEBMENTION_RESYNC_DAYS``,
or ``invoke collect --full``) list everything and remove what vanished.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..collect import CollectContext, SourceReport
from ..errors import FetchError
from ..model import Interaction
from ..store import now_iso
from .jf2 import deletion_of, from_jf2, wm_id
from .state import ApiState, CollectState

__all__ = ["ApiError", "collect_webmention_apis", "fetch_all_entries"]

logger = logging.getLogger(__name__)

#: A runaway API (one that ignores ``page``) stops here at the latest.
MAX_PAGES = 10_000
#: Channels a Webmention API speaks for; a re-sync only removes what it alone saw.
API_CHANNELS = frozenset({"webmention", "pingback"})


class ApiError(Exception):
    """An API answered something that is not a JF2 feed page."""


def _api_name(url: str) -> str:
    """The API's URL without query (where a token may hide), for reports and state."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _token(api: dict[str, str]) -> str:
    if api.get("token_env"):
        return os.environ.get(api["token_env"], "")
    return api.get("token", "")


async def fetch_all_entries(
    context: CollectContext, api: dict[str, str], since_id: int
) -> list[dict[str, Any]]:
    """Every entry (and reported deletion) the API lists after ``since_id``, all pages."""
    name = _api_name(api["url"])
    base = {
        "per-page": context.settings.webmention_per_page,
        "sort-by": "created",
        "sort-dir": "up",
    }
    if token := _token(api):
        base["token"] = token
    if since_id:
        base["since_id"] = since_id
    separator = "&" if "?" in api["url"] else "?"
    entries: list[dict[str, Any]] = []
    seen: set[int] = set()
    for page in range(MAX_PAGES):
        url = api["url"] + separator + urlencode({**base, "page": page})
        try:
            response = await context.http.get(url, headers={"Accept": "application/json"})
        except FetchError as exc:
            # exc.url carries the token: report the reason only.
            raise ApiError(f"page {page}: {exc.reason}") from exc
        if response.status != 200:
            raise ApiError(f"page {page} answered HTTP {response.status}")
        try:
            feed = json.loads(response.content)
        except ValueError as exc:
            raise ApiError(f"page {page} is not JSON ({exc})") from exc
        children = feed.get("children") if isinstance(feed, dict) else None
        deleted = feed.get("deleted", []) if isinstance(feed, dict) else None
        if not isinstance(children, list) or not isinstance(deleted, list):
            raise ApiError(f"page {page} is not a JF2 feed (no 'children' list)")
        deleted = [dict(d, **{"wm-deleted": True}) for d in deleted if isinstance(d, dict)]
        if not children and not deleted:
            break
        ids = {i for i in (wm_id(c) for c in children if isinstance(c, dict)) if i is not None}
        if page and ids and ids <= seen:
            raise ApiError(f"page {page} repeats earlier entries: {name} ignores 'page'")
        seen |= ids
        entries += children + deleted
        context.progress(f"{name} page {page + 1}", 1)
    else:
        raise ApiError(f"more than {MAX_PAGES} pages")
    return entries


async def collect_webmention_apis(context: CollectContext) -> list[SourceReport]:
    """Collect every API in ``BEANCAN_WEBMENTION_APIS``; one SourceReport each."""
    apis = context.settings.webmention_apis
    if not apis:
        return []
    state = CollectState.load(context.settings.data_dir)
    reports = [await _collect_one(context, api, state) for api in apis]
    # The store is written before the state that points past what it holds:
    # a crash in between re-fetches mentions, it never skips them.
    context.store.save()
    state.save()
    return reports


async def _collect_one(
    context: CollectContext, api: dict[str, str], state: CollectState
) -> SourceReport:
    name = _api_name(api["url"])
    report = SourceReport(source=name)
    # Looked up, not created: a source that fails leaves no trace in the state file.
    api_state = state.apis.get(name) or ApiState()
    now = now_iso()
    full = context.full_resync or api_state.full_sync_due(
        now, context.settings.webmention_resync_days
    )
    try:
        entries = await fetch_all_entries(context, api, 0 if full else api_state.since_id)
    except ApiError as exc:
        report.failed = str(exc)
        logger.warning("Webmention API %s failed: %s; the store keeps what it had", name, exc)
        return report
    interactions: list[Interaction] = []
    deletions: list[tuple[str, str]] = []
    max_id = api_state.since_id
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        max_id = max(max_id, wm_id(entry) or 0)
        gone = deletion_of(entry)
        if gone:
            deletions.append(gone)
        elif entry.get("wm-private") is not True:  # private mentions are never published
            try:
                interactions.append(from_jf2(entry))
            except ValueError as exc:
                logger.warning("%s: entry %s skipped: %s", name, entry.get("wm-id"), exc)
    from ..avatars_fetch import fetch_avatars

    interactions = await fetch_avatars(context, interactions)
    listed: set[tuple[str, str]] = set()
    for interaction in interactions:
        result = context.add(interaction, report)
        pair = (result.interaction.source, result.interaction.target)
        listed.add(pair)
        api_state.members.add(pair)
    for source, target in deletions:
        if context.store.delete(source, target, now) is not None:
            report.deleted += 1
        api_state.members.discard(_pair(context, source, target))
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
    api_state.since_id = max_id
    state.apis[name] = api_state
    return report


def _pair(context: CollectContext, source: str, target: str) -> tuple[str, str]:
    record = context.store.get(source, target)
    return (record.source, record.target) if record else (source, target)
