"""Consent: people who say no to bots and bridges are never stored.

The fediverse convention is a ``#nobot`` (or ``#nobridge``, from Bridgy Fed)
tag in the profile's bio; Bluesky accounts can also carry the self-label
``!no-unauthenticated`` ("do not show my posts to logged-out visitors"),
which a public archive on a blog would go against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..sanitize import html_to_text

__all__ = ["NO_UNAUTHENTICATED", "refuses_bio", "refuses_labels"]

#: ``#nobot`` or ``#nobridge`` as a whole tag, whatever its case.
_REFUSING_TAG = re.compile(r"(?<![\w#])#no(?:bot|bridge)(?![\w])", re.IGNORECASE)
NO_UNAUTHENTICATED = "!no-unauthenticated"


def refuses_bio(bio: Any, *, html: bool = False) -> bool:
    """True when a profile's bio (Mastodon ``note`` is HTML) carries a refusing tag."""
    if not isinstance(bio, str) or not bio:
        return False
    text = html_to_text(bio) if html else bio
    return bool(_REFUSING_TAG.search(text))


def refuses_labels(labels: Any) -> bool:
    """True when a Bluesky account's labels include ``!no-unauthenticated``."""
    if not isinstance(labels, Iterable) or isinstance(labels, str | bytes | dict):
        return False
    return any(
        isinstance(label, dict) and label.get("val") == NO_UNAUTHENTICATED for label in labels
    )
