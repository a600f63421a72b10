"""Bluesky: a copy ``https://bsky.app/profile/HANDLE_OR_DID/post/RKEY`` read on an AppView.

All calls are public XRPC queries on ``BEANCAN_BLUESKY_APPVIEW``:

* ``com.atproto.identity.resolveHandle`` once per handle, remembered;
* ``app.bsky.feed.getPostThread``: the copy and its replies, nested; the
  ``notFoundPost`` and ``blockedPost`` placeholders are skipped;
* ``app.bsky.actor.getProfiles`` (25 a request) for the bios of the authors
  of new or changed replies (a thread's ``profileViewBasic`` has no bio);
* ``app.bsky.feed.getLikes`` and ``getRepostedBy`` (``cursor`` pages), only
  when the copy's count differs from the one last listed in full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ..model import Interaction, make_interaction
from .consent import refuses_bio, refuses_labels
from .copy_state import CopyState, SocialState
from .facets import BLUESKY_WEB, rich_text_html
from .harvest import MAX_THREAD_BYTES, Harvest, SocialError, get_json
from .syndication import Copy

__all__ = ["THREAD_DEPTH", "post_url", "read_bluesky_copy"]

#: reply levels asked of getPostThread (the AppView allows up to 1000).
THREAD_DEPTH = 100
PAGE_SIZE = 100
PROFILES_PER_REQUEST = 25
THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def profile_url(author: dict[str, Any]) -> str:
    handle = _str(author.get("handle"))
    actor = handle if handle and handle != "handle.invalid" else _str(author.get("did"))
    return f"{BLUESKY_WEB}/profile/{actor}" if actor else ""


def post_url(post: dict[str, Any]) -> str:
    """The public URL of a postView: ``https://bsky.app/profile/HANDLE/post/RKEY``."""
    uri = _str(post.get("uri"))
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    if not uri.startswith("at://") or "/app.bsky.feed.post/" not in uri:
        return ""
    rkey = uri.rsplit("/", 1)[1]
    profile = profile_url(author)
    return f"{profile}/post/{rkey}" if profile and rkey else ""


def _author(author: dict[str, Any]) -> dict[str, str]:
    return {
        "name": _str(author.get("displayName")) or _str(author.get("handle")),
        "url": profile_url(author),
        "photo": _str(author.get("avatar")),
    }


def _xrpc(context: Any, method: str, **params: Any) -> str:
    base = context.settings.social.bluesky_appview.rstrip("/")
    return f"{base}/xrpc/{method}?{urlencode(params, doseq=True)}"


async def _did(context: Any, copy: Copy, state: SocialState, harvest: Harvest) -> str:
    if copy.actor.startswith("did:"):
        return copy.actor
    if copy.actor in state.handles:
        return state.handles[copy.actor]
    url = _xrpc(context, "com.atproto.identity.resolveHandle", handle=copy.actor)
    _, data, _ = await get_json(context, url, harvest)
    did = _str(data.get("did")) if isinstance(data, dict) else ""
    if not did.startswith("did:"):
        raise SocialError(f"{copy.url}: the handle {copy.actor!r} does not resolve to a DID")
    state.handles[copy.actor] = did
    return did


async def read_bluesky_copy(
    context: Any, copy: Copy, target: str, state: SocialState, known: CopyState,
    needs_check: Callable[[Interaction], bool],
) -> Harvest:  # fmt: skip
    """Read one copy: replies (nested), likes and reposts, as interactions targeting ``target``.

    ``needs_check`` says which replies are new or changed: only their
    authors' bios are fetched (consent), unless this is a full re-sync.
    """
    harvest = Harvest()
    did = await _did(context, copy, state, harvest)
    uri = f"at://{did}/app.bsky.feed.post/{copy.post_id}"
    url = _xrpc(context, "app.bsky.feed.getPostThread", uri=uri, depth=THREAD_DEPTH, parentHeight=0)
    status, data, _ = await get_json(
        context, url, harvest, accept_errors=(400,), max_bytes=MAX_THREAD_BYTES
    )
    thread = data.get("thread") if isinstance(data, dict) else None
    if status != 200 or not isinstance(thread, dict) or thread.get("$type") != THREAD_VIEW:
        raise SocialError(f"{copy.url}: the copy is not found (deleted, or the AppView hides it)")
    root = thread.get("post") if isinstance(thread.get("post"), dict) else {}
    complete = _walk(context, harvest, thread, target, copy)
    await _check_bios(context, harvest, needs_check, () if context.full_resync else known.refused)
    if complete:
        await _check_vanished(context, harvest, known)
    harvest.likes, harvest.reposts = _int(root.get("likeCount")), _int(root.get("repostCount"))
    for kind, method, key, count, before in (
        ("like", "app.bsky.feed.getLikes", "likes", harvest.likes, known.likes),
        ("repost", "app.bsky.feed.getRepostedBy", "repostedBy", harvest.reposts, known.reposts),
    ):
        if count == before and not context.full_resync:
            continue
        actors, whole = await _actors(context, harvest, method, key, uri)
        for actor in actors:
            _add_reaction(harvest, kind, actor, copy, target)
        if whole:
            harvest.listed.add(kind)
        else:
            setattr(harvest, "likes" if kind == "like" else "reposts", -1)
    return harvest


def _walk(context: Any, harvest: Harvest, thread: dict[str, Any], target: str, copy: Copy) -> bool:
    """Add every reply below the copy; True when nothing was cut off."""
    cap = context.settings.social.max_replies
    complete = True
    stack: list[tuple[Any, str, int]] = [
        (reply, target, 1) for reply in reversed(thread.get("replies") or [])
    ]
    while stack:
        node, parent, depth = stack.pop()
        if not isinstance(node, dict) or node.get("$type") != THREAD_VIEW:
            continue  # notFoundPost, blockedPost, or something this code does not know
        post = node.get("post") if isinstance(node.get("post"), dict) else {}
        replies = node.get("replies") if isinstance(node.get("replies"), list) else []
        if depth >= THREAD_DEPTH and _int(post.get("replyCount")) > len(replies):
            complete = False
        if len(harvest.replies) >= cap:
            return False
        source = _add_reply(harvest, post, parent, target)
        # A reply under a refused or unreadable one still answers the thread.
        stack.extend((reply, source or parent, depth + 1) for reply in reversed(replies))
    return complete


def _add_reply(harvest: Harvest, post: dict[str, Any], parent: str, target: str) -> str:
    source = post_url(post)
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    if not source:
        return ""
    if refuses_labels(author.get("labels")):
        harvest.refused.add(source)
        harvest.refused_authors.add(profile_url(author))
        return ""
    content = rich_text_html(record.get("text"), record.get("facets"))
    try:
        interaction = make_interaction(
            source=source, target=target, kind="reply", in_reply_to=[parent],
            author=_author(author), content_html=content,
            published=record.get("createdAt") or post.get("indexedAt"),
            channels=("bluesky",),
        )  # fmt: skip
    except ValueError:
        return ""
    harvest.interactions.append(interaction)
    harvest.replies[interaction.source] = _str(post.get("uri"))
    # Remembered for the bio check: which DID wrote it.
    harvest.authors[interaction.source] = _str(author.get("did"))
    return interaction.source


async def _check_bios(
    context: Any, harvest: Harvest, needs_check: Callable[[Interaction], bool],
    refused_before: tuple[str, ...],
) -> None:  # fmt: skip
    """Drop replies whose authors' bios say #nobot / #nobridge.

    Bios are asked for new or changed replies only; replies refused last
    time stay refused without asking again.
    """
    before = set(refused_before)
    dids = sorted({
        harvest.authors[i.source] for i in harvest.interactions
        if i.kind == "reply" and harvest.authors.get(i.source) and i.source not in before
        and (context.full_resync or needs_check(i))
    })  # fmt: skip
    refusing = {harvest.authors.get(source, "") for source in before} - {""}
    for start in range(0, len(dids), PROFILES_PER_REQUEST):
        chunk = dids[start : start + PROFILES_PER_REQUEST]
        url = _xrpc(context, "app.bsky.actor.getProfiles", actors=chunk)
        _, data, _ = await get_json(context, url, harvest)
        profiles = data.get("profiles") if isinstance(data, dict) else None
        for profile in profiles if isinstance(profiles, list) else []:
            if isinstance(profile, dict) and (
                refuses_bio(profile.get("description")) or refuses_labels(profile.get("labels"))
            ):
                refusing.add(_str(profile.get("did")))
    for interaction in list(harvest.interactions):
        if interaction.source in before or harvest.authors.get(interaction.source) in refusing:
            harvest.interactions.remove(interaction)
            harvest.replies.pop(interaction.source, None)
            harvest.refused.add(interaction.source)
            harvest.refused_replies.add(interaction.source)
            harvest.refused_authors.add(interaction.author.url)


def _add_reaction(harvest: Harvest, kind: str, actor: Any, copy: Copy, target: str) -> None:
    if not isinstance(actor, dict) or not _str(actor.get("did")):
        return
    refuses = refuses_labels(actor.get("labels")) or refuses_bio(actor.get("description"))
    harvest.add_reaction(kind, copy.url, actor["did"], target, _author(actor),
                         refuses=refuses, channel="bluesky")  # fmt: skip


async def _actors(
    context: Any, harvest: Harvest, method: str, key: str, uri: str
) -> tuple[list[Any], bool]:
    """Every page's actors (``cursor``), and whether the list is whole."""
    found: list[Any] = []
    cursor = ""
    for _ in range(context.settings.social.max_pages):
        params: dict[str, Any] = {"uri": uri, "limit": PAGE_SIZE}
        if cursor:
            params["cursor"] = cursor
        _, data, _ = await get_json(context, _xrpc(context, method, **params), harvest)
        page = data.get(key) if isinstance(data, dict) else None
        if not isinstance(page, list):
            raise SocialError(f"{method}: expected a {key!r} list")
        found += [item.get("actor") if key == "likes" and isinstance(item, dict) else item
                  for item in page]  # fmt: skip
        cursor = _str(data.get("cursor"))
        if not page or not cursor:
            return found, True
    return found, False


async def _check_vanished(context: Any, harvest: Harvest, known: CopyState) -> None:
    """Replies held before and missing now: deleted only if the AppView says NotFound."""
    for source, uri in sorted(known.replies.items()):
        if source in harvest.replies or source in harvest.refused or not uri:
            continue
        url = _xrpc(context, "app.bsky.feed.getPostThread", uri=uri, depth=0, parentHeight=0)
        status, data, _ = await get_json(context, url, harvest, accept_errors=(400, 404))
        thread = data.get("thread") if isinstance(data, dict) else None
        not_found = (
            status != 200 and isinstance(data, dict) and data.get("error") == "NotFound"
        ) or (isinstance(thread, dict) and thread.get("$type") == "app.bsky.feed.defs#notFoundPost")
        if not_found:
            harvest.gone.add(source)
        else:
            harvest.replies[source] = uri
