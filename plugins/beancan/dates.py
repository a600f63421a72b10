"""Dates: every date Beancan stores is ISO 8601 in UTC, to the second.

One format means string order is time order, which the store's merge rules
and the sorted data files rely on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["normalize_date", "parse_date"]


def parse_date(value: object) -> datetime | None:
    """A timezone-aware datetime from ISO 8601, RFC 822 or a datetime; None if unreadable.

    A date without a timezone is taken as UTC.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def normalize_date(value: object) -> str:
    """``YYYY-MM-DDTHH:MM:SS+00:00``, or "" for anything that is not a date."""
    parsed = parse_date(value)
    if parsed is None:
        return ""
    try:
        return parsed.astimezone(UTC).replace(microsecond=0).isoformat()
    except (OverflowError, ValueError):
        return ""
