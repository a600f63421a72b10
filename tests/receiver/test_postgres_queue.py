"""PostgreSQL: several workers share one queue and never take the same mention."""

from __future__ import annotations

import asyncio

import pytest

from beancan.receiver._postgres import PostgresStorage

pytestmark = pytest.mark.postgres


async def _claim_concurrently(url: str, count: int) -> list[list[int]]:
    stores = [PostgresStorage(url) for _ in range(3)]
    for store in stores:
        await store.open()
    try:
        for n in range(count):
            source = f"https://s{n}.example/p"
            keys = (f"s{n}.example/p", "@site/post", f"s{n}.example", "site.example")
            await stores[0].enqueue(keys, source, "https://site.example/post/", "webmention", "")

        async def drain(store: PostgresStorage) -> list[int]:
            taken: list[int] = []
            while batch := await store.claim(4, 60):
                taken += [m.id for m in batch]
                await asyncio.sleep(0)
            return taken

        return list(await asyncio.gather(*(drain(s) for s in stores)))
    finally:
        for store in stores:
            await store.close()


def test_concurrent_workers_claim_each_mention_exactly_once(pg_database):
    taken = asyncio.run(_claim_concurrently(pg_database, 60))
    every = [i for part in taken for i in part]
    assert sorted(every) == list(range(1, 61))
    assert sum(1 for part in taken if part) >= 2, "one worker took everything"
