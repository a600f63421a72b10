"""Per-key token buckets: per-IP and per-source-domain rate limits for incoming mentions.

Each bucket holds ``per_minute`` tokens and refills continuously, so a
sender may burst up to a minute's allowance and then goes at the steady
rate. Buckets live in the process: with several PostgreSQL-backed
instances each enforces its own share, which is what a flood from one host
needs (a limit per process, not a perfect global count).
"""

from __future__ import annotations

import time

__all__ = ["RateLimiter"]

#: Above this many tracked keys, idle buckets (full again) are forgotten.
MAX_KEYS = 50_000


class RateLimiter:
    """``allow(key)`` spends one token from ``key``'s bucket, or says how long to wait."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(max(1, per_minute))
        self.rate = self.capacity / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float | None = None) -> float:
        """0.0 when allowed (a token is spent), else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        tokens, stamp = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - stamp) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._buckets) >= MAX_KEYS and key not in self._buckets:
            self._forget_idle(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        full_after = self.capacity / self.rate
        self._buckets = {k: (t, s) for k, (t, s) in self._buckets.items() if now - s < full_after}
