"""Dates (``beancan.dates``): everything stored is ISO 8601 in UTC, to the second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from beancan.dates import normalize_date, parse_date

EST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00+00:00"),
        ("2026-03-01T12:00:00.123+02:00", "2026-03-01T10:00:00+00:00"),
        ("2026-03-01T10:00:00", "2026-03-01T10:00:00+00:00"),  # no zone: UTC
        ("2026-03-01", "2026-03-01T00:00:00+00:00"),
        ("Sun, 01 Mar 2026 10:00:00 GMT", "2026-03-01T10:00:00+00:00"),  # RFC 822 (RSS)
        (datetime(2026, 3, 1, 5, tzinfo=EST), "2026-03-01T10:00:00+00:00"),
        ("yesterday", ""),
        ("", ""),
        (None, ""),
        (12345, ""),
        ("0001-01-01T00:00:00+01:00", ""),  # before year 1 in UTC
    ],
)  # fmt: skip
def test_normalize_date(value, normal):
    assert normalize_date(value) == normal


def test_parse_date_is_always_aware():
    assert parse_date("2026-03-01T10:00:00") == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert parse_date("not a date") is None
