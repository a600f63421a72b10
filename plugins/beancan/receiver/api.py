"""``GET /api/mentions.jf2``: the webmention.io API, so ``invoke collect`` reads either.

Parameters as webmention.io: ``target``, ``domain``, ``since_id``,
``per-page`` (default 20, at most 1000), ``page`` (from 0), ``sort-dir``
(``down``, newest first, or ``up``) and ``token``.

Two differences a client may rely on:

* ``wm-id`` is the mention's *revision*: it grows each time the mention
  changes (verified, re-verified with new content, approved, deleted), so a
  client that remembers the highest ``wm-id`` and asks ``since_id`` sees
  updates too. Identify a mention by ``wm-source`` and ``wm-target``.
* With the right ``token`` the feed also lists deletions: entries with only
  ``wm-id``, ``wm-source``, ``wm-target``, ``wm-received``, ``wm-protocol`` and
  ``"wm-deleted": true``, for a mention that was served and is now gone (the
  source answered 410 or stopped linking) or was blocked by the author.

Without a token only approved mentions are listed: everything served is
sanitized and was moderated, so the API is public. A wrong token is 403.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..model import interaction_from_record
from ..urls import canonical_url
from .storage import Mention, api_token

__all__ = ["mention_to_jf2", "mentions_jf2"]

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 1000
#: Interaction kind -> the JF2 property that names the target (webmention.io's wm-property).
KIND_PROPERTY = {
    "reply": "in-reply-to",
    "like": "like-of",
    "repost": "repost-of",
    "bookmark": "bookmark-of",
    "rsvp": "in-reply-to",
    "mention": "mention-of",
}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)


def _whole(value: str, name: str, default: int) -> int:
    if value == "":
        return default
    if not value.isdigit():
        raise ValueError(f"{name} {value!r} is not a whole number")
    return int(value)


async def mentions_jf2(request: Request) -> JSONResponse:
    receiver = request.app.state.receiver
    params = request.query_params
    expected = api_token(receiver.settings)
    token = params.get("token", "")
    if token and not (expected and hmac.compare_digest(token, expected)):
        return _error(403, "The token is not valid for this receiver.")
    try:
        since_id = _whole(params.get("since_id", ""), "since_id", 0)
        per_page = min(_whole(params.get("per-page", ""), "per-page", DEFAULT_PER_PAGE),
                       MAX_PER_PAGE)  # fmt: skip
        page = _whole(params.get("page", ""), "page", 0)
    except ValueError as exc:
        return _error(400, f"The parameter {exc}.")
    if per_page < 1:
        return _error(400, "The parameter per-page must be at least 1.")
    target = params.get("target", "") or params.get("target[]", "")
    target_key = ""
    if target:
        if not canonical_url(target):
            return _error(400, f"The target {target!r} is not an http(s) URL.")
        target_key = receiver.settings.site.identity(target)
    domain = params.get("domain", "").strip().lower()
    sort_dir = params.get("sort-dir", "down")
    if sort_dir not in ("up", "down"):
        return _error(400, "The parameter sort-dir must be up or down.")
    rows = await receiver.storage.api_rows(
        api_states=("entry", "deleted") if token else ("entry",),
        since_id=since_id,
        target_key=target_key,
        domain=domain,
        newest_first=sort_dir == "down",
        limit=per_page,
        offset=page * per_page,
    )
    children = [mention_to_jf2(row) for row in rows]
    return JSONResponse({"type": "feed", "name": "Webmentions", "children": children})


def mention_to_jf2(mention: Mention) -> dict[str, Any]:
    """One JF2 entry as webmention.io writes it, or a deletion entry."""
    base: dict[str, Any] = {
        "type": "entry",
        "wm-id": mention.revision,
        "wm-source": mention.source,
        "wm-target": mention.target,
        "wm-protocol": mention.protocol,
        "wm-received": mention.received_at,
    }
    if mention.api_state == "deleted" or not mention.interaction:
        return {**base, "wm-deleted": True}
    # Re-validated on the way out: what the database holds passes the sanitizer again.
    interaction = interaction_from_record(mention.interaction, f"mention {mention.id}")
    prop = KIND_PROPERTY.get(interaction.kind, "mention-of")
    author = interaction.author
    entry: dict[str, Any] = {
        **base,
        "wm-property": prop,
        "wm-private": False,
        "author": {
            "type": "card",
            "name": author.name,
            "url": author.url,
            "photo": author.photo,
        },  # fmt: skip
        "url": interaction.permalink,
        "published": interaction.published or None,
        "content": {"html": interaction.content_html, "text": interaction.content_text}
        if interaction.content_html or interaction.content_text
        else None,
    }
    if interaction.updated:
        entry["updated"] = interaction.updated
    if interaction.name:
        entry["name"] = interaction.name
    if interaction.rsvp:
        entry["rsvp"] = interaction.rsvp
    # webmention.io puts the target under the property; keep its other URLs too.
    others = [u for u in interaction.in_reply_to if u != mention.target]
    if prop == "in-reply-to" and others:
        entry[prop] = [mention.target, *others]
    else:
        entry[prop] = mention.target
    return entry
