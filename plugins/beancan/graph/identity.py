"""The graph's URL identities, remembered for one build.

Building the graph asks for the identity of the same target and
in-reply-to URLs thousands of times; ``IdentityCache`` answers each string
once with ``SiteURLs.identity`` and remembers it. It lives as long as the
graph being built (one per ``compute``), never longer.
"""

from __future__ import annotations

from ..urls import SiteURLs

__all__ = ["IdentityCache"]


class IdentityCache:
    """``SiteURLs.identity``, remembered per URL string for one build."""

    def __init__(self, site: SiteURLs) -> None:
        self._identity = site.identity
        self._known: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        found = self._known.get(url)
        if found is None:
            found = self._known[url] = self._identity(url)
        return found
