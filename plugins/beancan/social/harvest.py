"""What reading one copy gives, whatever the network: the shared types and HTTP helpers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import BeancanError, FetchError
from ..model import Interaction, make_interaction
from ..urls import canonical_url

__all__ = ["MAX_THREAD_BYTES", "Harvest", "SocialError", "get_json", "next_link"]

#: a whole thread (Mastodon context, Bluesky getPostThread) may be this big:
#: 1,000 replies of a few kilobytes each, more than other answers need.
MAX_THREAD_BYTES = 8_000_000

#: RFC 8288 Link header: the target of the rel="next" link.
_LINK_NEXT = re.compile(r'<([^>]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


class SocialError(BeancanError):
    """A copy could not be read; the message names the URL and says why."""


@dataclass
class Harvest:
    """Everything one copy holds, already converted and filtered for consent."""

    #: replies, likes and reposts, built by ``make_interaction``.
    interactions: list[Interaction] = field(default_factory=list)
    #: sources whose authors refuse (#nobot ...): removed if stored before.
    refused: set[str] = field(default_factory=set)
    #: profile URLs of those authors: everything of theirs from this network goes.
    refused_authors: set[str] = field(default_factory=set)
    #: reply sources known before, now confirmed deleted (404/410): tombstoned.
    gone: set[str] = field(default_factory=set)
    #: replies present now: public URL -> the platform's id (for the state file).
    replies: dict[str, str] = field(default_factory=dict)
    #: like / repost counts of the copy now; reactions of a kind whose list
    #: was read in full are in ``listed`` (then absent ones are withdrawn).
    likes: int = -1
    reposts: int = -1
    listed: set[str] = field(default_factory=set)
    #: Bluesky replies refused for their author's bio (remembered in the state).
    refused_replies: set[str] = field(default_factory=set)
    #: reply source -> the author's platform id (Bluesky: DID), for consent checks.
    authors: dict[str, str] = field(default_factory=dict)
    #: requests made, for the benchmark and the logs.
    requests: int = 0

    def add_reaction(
        self, kind: str, copy_url: str, who: str, target: str, author: dict[str, str], *,
        refuses: bool, channel: str,
    ) -> None:  # fmt: skip
        """One like or repost of a copy by ``who``: kept, or refused for its author's consent."""
        # A like has no page of its own: the copy's URL with who liked it stands in.
        marker = "liked_by" if kind == "like" else "reposted_by"
        source = f"{copy_url}?{marker}={who}"
        if refuses:
            self.refused.add(canonical_url(source))
            self.refused_authors.add(author["url"])
            return
        try:
            self.interactions.append(make_interaction(
                source=source, target=target, kind=kind, author=author, channels=(channel,)
            ))  # fmt: skip
        except ValueError:
            return


async def get_json(
    context: Any, url: str, harvest: Harvest, *, headers: dict[str, str] | None = None,
    accept_errors: tuple[int, ...] = (), max_bytes: int | None = None,
) -> tuple[int, Any, Any]:  # fmt: skip
    """``(status, decoded JSON, response headers)`` of one GET; SocialError otherwise.

    A status in ``accept_errors`` is returned (its body decoded when it is
    JSON, else None) for the caller to read; any other non-200 is an error.
    """
    harvest.requests += 1
    try:
        response = await context.http.get(
            url, headers={"Accept": "application/json", **(headers or {})}, max_bytes=max_bytes
        )
    except FetchError as exc:
        raise SocialError(f"{_public(url)}: {exc.reason}") from exc
    if response.status != 200 and response.status not in accept_errors:
        raise SocialError(f"{_public(url)} answered HTTP {response.status}")
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError) as exc:
        # RecursionError: JSON nested thousands deep, which no real server sends.
        if response.status != 200:
            return response.status, None, response.headers
        raise SocialError(f"{_public(url)} did not answer JSON ({exc})") from exc
    return response.status, data, response.headers


def _public(url: str) -> str:
    return url.split("?", 1)[0]


def next_link(headers: Any) -> str:
    """The ``rel="next"`` URL of a ``Link`` header (RFC 8288), or ""."""
    found = _LINK_NEXT.search(headers.get("link", "") if headers is not None else "")
    return found.group(1).strip() if found else ""
