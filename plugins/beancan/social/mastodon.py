"""Mastodon and the servers speaking its API (GoToSocial, Akkoma, Pleroma, Hometown).

For a copy ``https://HOST/@user/ID`` (see ``syndication.parse_copy``):

* ``GET /api/v2/instance`` (else ``/api/v1/instance``) once per host, remembered;
* ``GET /api/v1/statuses/ID``: the copy itself, with its like and repost counts;
* ``GET /api/v1/statuses/ID/context``: its ``descendants``, threaded by
  ``in_reply_to_id`` into replies to any depth;
* ``GET /api/v1/statuses/ID/favourited_by`` and ``/reblogged_by`` (pages
  followed by ``Link: rel="next"``), only when the count differs from the
  one last listed in full.

Anonymous by default: without a token a server shows at most 60 descendants
(Mastodon's public context limit), and a context that may have been cut is
never taken as proof that a reply was deleted.
"""

from __future__ import annotations

import os
from html import escape
from typing import Any

from ..model import make_interaction
from ..urls import canonical_url
from .consent import refuses_bio
from .copy_state import CopyState, SocialState
from .harvest import MAX_THREAD_BYTES, Harvest, SocialError, get_json, next_link
from .syndication import Copy

__all__ = ["PUBLIC_DESCENDANTS_LIMIT", "read_mastodon_copy", "status_url"]

#: Mastodon answers an anonymous context with at most this many descendants.
PUBLIC_DESCENDANTS_LIMIT = 60
#: accounts a page of favourited_by / reblogged_by may hold (Mastodon's maximum).
PAGE_SIZE = 80
#: only these are public; a token could show private and direct replies too.
PUBLIC_VISIBILITY = frozenset({"public", "unlisted"})


def token_for(settings: Any, host: str) -> str:
    """The host's token from ``BEANCAN_MASTODON_TOKENS`` ("env:VAR" reads VAR), or ""."""
    value = settings.social.mastodon_tokens.get(host, "")
    if value.startswith("env:"):
        return os.environ.get(value[4:], "")
    return value


def status_url(status: dict[str, Any]) -> str:
    """The public URL of a Status: its ``url`` (the page), else its ``uri``."""
    return canonical_url(_str(status.get("url"))) or canonical_url(_str(status.get("uri")))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _author(account: dict[str, Any]) -> dict[str, str]:
    return {
        "name": _str(account.get("display_name")) or _str(account.get("username"))
        or _str(account.get("acct")),
        "url": _str(account.get("url")),
        "photo": _str(account.get("avatar_static")) or _str(account.get("avatar")),
    }  # fmt: skip


async def confirm_api(context: Any, copy: Copy, state: SocialState, harvest: Harvest) -> None:
    """Make sure the copy's host speaks the Mastodon API (asked once per host)."""
    if copy.host in state.apis:
        return
    for path in ("/api/v2/instance", "/api/v1/instance"):
        status, data, _ = await get_json(context, copy.origin + path, harvest, accept_errors=(404,))
        if status == 200 and isinstance(data, dict) and (data.get("domain") or data.get("uri")):
            state.apis[copy.host] = context.started
            return
    raise SocialError(f"{copy.origin} does not answer the Mastodon API (/api/v2/instance)")


async def read_mastodon_copy(
    context: Any, copy: Copy, post_url: str, state: SocialState, known: CopyState
) -> Harvest:
    """Read one copy: replies, likes and reposts, as interactions targeting ``post_url``."""
    harvest = Harvest()
    await confirm_api(context, copy, state, harvest)
    token = token_for(context.settings, copy.host)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    base = f"{copy.origin}/api/v1/statuses/{copy.post_id}"
    status, root, _ = await get_json(
        context, base, harvest, headers=headers, accept_errors=(404, 410)
    )
    if status != 200 or not isinstance(root, dict):
        raise SocialError(f"{copy.url}: the copy answers HTTP {status}; was it deleted?")
    _, context_data, _ = await get_json(
        context, base + "/context", harvest, headers=headers, max_bytes=MAX_THREAD_BYTES
    )
    descendants = context_data.get("descendants") if isinstance(context_data, dict) else None
    if not isinstance(descendants, list):
        raise SocialError(f"{copy.url}: the context has no 'descendants' list")
    cap = context.settings.social.max_replies
    complete = len(descendants) <= cap and (
        bool(token) or len(descendants) < PUBLIC_DESCENDANTS_LIMIT
    )
    _add_replies(harvest, descendants[:cap], root, copy, post_url)
    if complete:
        await _check_vanished(context, harvest, known, copy, headers)
    harvest.likes, harvest.reposts = (
        _int(root.get("favourites_count")),
        _int(root.get("reblogs_count")),
    )
    for kind, path, count, before in (
        ("like", "favourited_by", harvest.likes, known.likes),
        ("repost", "reblogged_by", harvest.reposts, known.reposts),
    ):
        if count == before and not context.full_resync:
            continue
        accounts, whole = await _accounts(
            context, harvest, f"{base}/{path}?limit={PAGE_SIZE}", headers
        )
        for account in accounts:
            _add_reaction(harvest, kind, account, copy, post_url)
        if whole:
            harvest.listed.add(kind)
        else:  # read again next time
            setattr(harvest, "likes" if kind == "like" else "reposts", -1)
    return harvest


def _add_replies(
    harvest: Harvest, statuses: list[Any], root: dict[str, Any], copy: Copy, post_url: str
) -> None:
    # The copy answers to our post: top-level replies point at the post itself.
    urls: dict[str, str] = {_str(root.get("id")) or copy.post_id: post_url}
    for item in statuses:
        if isinstance(item, dict) and item.get("id") is not None:
            urls.setdefault(str(item["id"]), status_url(item))
    for item in statuses:
        if not isinstance(item, dict) or item.get("visibility") not in PUBLIC_VISIBILITY:
            continue
        source = status_url(item)
        account = item.get("account") if isinstance(item.get("account"), dict) else {}
        if not source or source == copy.url:
            continue
        if refuses_bio(account.get("note"), html=True):
            harvest.refused.add(source)
            harvest.refused_authors.add(_author(account)["url"])
            continue
        parent = urls.get(str(item.get("in_reply_to_id")), "") or post_url
        content = _str(item.get("content"))
        if item.get("spoiler_text"):
            # A content warning stays in front of what it warns about.
            content = f"<p><strong>{escape(_str(item['spoiler_text']))}</strong></p>{content}"
        try:
            interaction = make_interaction(
                source=source, target=post_url, kind="reply", in_reply_to=[parent],
                author=_author(account), content_html=content,
                published=item.get("created_at"), updated=item.get("edited_at"),
                channels=("mastodon",),
            )  # fmt: skip
        except ValueError:
            continue
        harvest.interactions.append(interaction)
        harvest.replies[interaction.source] = str(item.get("id"))


def _add_reaction(harvest: Harvest, kind: str, account: Any, copy: Copy, post_url: str) -> None:
    if not isinstance(account, dict) or account.get("id") is None:
        return
    refuses = refuses_bio(account.get("note"), html=True)
    harvest.add_reaction(kind, copy.url, str(account["id"]), post_url, _author(account),
                         refuses=refuses, channel="mastodon")  # fmt: skip


async def _accounts(
    context: Any, harvest: Harvest, url: str, headers: dict[str, str]
) -> tuple[list[Any], bool]:
    """Accounts of every page (``Link: rel="next"``), and whether the list is whole."""
    found: list[Any] = []
    origin = url.split("/api/", 1)[0]
    for _ in range(context.settings.social.max_pages):
        _, page, response_headers = await get_json(context, url, harvest, headers=headers)
        if not isinstance(page, list):
            raise SocialError(f"{url.split('?')[0]}: expected a list of accounts")
        found += page
        url = next_link(response_headers)
        if not page or not url:
            return found, True
        if not url.startswith(origin + "/"):
            break  # a next page on another host is not followed
    return found, False


async def _check_vanished(
    context: Any, harvest: Harvest, known: CopyState, copy: Copy, headers: dict[str, str]
) -> None:
    """Replies held before and missing now: deleted only if their status is 404/410."""
    for source, status_id in sorted(known.replies.items()):
        if source in harvest.replies or source in harvest.refused:
            continue
        url = f"{copy.origin}/api/v1/statuses/{status_id}"
        status, _, _ = await get_json(
            context, url, harvest, headers=headers, accept_errors=(404, 410)
        )
        if status in (404, 410):
            harvest.gone.add(source)
        else:  # still there (now private, or the context was cut): keep it
            harvest.replies[source] = status_id
