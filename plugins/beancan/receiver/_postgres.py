"""PostgreSQL storage: any number of receiver processes share one queue.

Claims use ``FOR UPDATE SKIP LOCKED`` so workers never take the same row
and never wait on each other. Revisions come from a sequence, taken under a
transaction-level advisory lock: revision order is then commit order, and a
JF2 client paging with ``since_id`` cannot miss a revision that commits late.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg_pool import AsyncConnectionPool

from ..errors import StoreError
from .storage import SCHEMA, Storage, Tx

__all__ = ["PostgresStorage"]

#: An arbitrary advisory lock number: "revisions of beancan mentions".
REVISION_LOCK = 0x6265616E


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class _Conn:
    def __init__(self, conn: psycopg.AsyncConnection) -> None:
        self.conn = conn

    async def fetchall(self, sql: str, params: tuple = ()) -> list[tuple]:
        cursor = await self.conn.execute(_pg(sql), params)
        return await cursor.fetchall() if cursor.description else []

    async def execute(self, sql: str, params: tuple = ()) -> int:
        cursor = await self.conn.execute(_pg(sql), params)
        return cursor.rowcount


class PostgresStorage(Storage):
    lock_clause = "FOR UPDATE SKIP LOCKED"
    shared = True

    def __init__(self, url: str, max_connections: int = 10) -> None:
        self.url = url
        self._pool = AsyncConnectionPool(
            url,
            min_size=max_connections,
            max_size=max_connections,
            open=False,
            kwargs={"autocommit": True},
        )

    async def open(self) -> None:
        try:
            await self._pool.open(wait=True, timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot reach the receiver database: {exc}") from exc
        async with self._pool.connection() as conn, conn.transaction():
            cursor = await conn.execute("SELECT to_regclass('mention_revision') IS NOT NULL")
            if (await cursor.fetchone())[0]:
                return  # DDL would lock the table against running workers for nothing
            # Several instances may start at once: one creates the schema.
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (REVISION_LOCK + 1,))
            for statement in SCHEMA.format(id_column="BIGSERIAL PRIMARY KEY").split(";"):
                if statement.strip():
                    await conn.execute(statement)
            await conn.execute("CREATE SEQUENCE IF NOT EXISTS mention_revision")

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Tx]:
        async with self._pool.connection() as conn:
            yield _Conn(conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with self._pool.connection() as conn, conn.transaction():
            yield _Conn(conn)

    async def redo_on_crash(self, tx: Tx) -> None:
        await tx.execute("SET LOCAL synchronous_commit = off")

    async def update_revision(self, sql: str, params: tuple) -> list[tuple]:
        # One statement in autocommit is one round trip: the lock is held from
        # the sequence draw to the commit and no longer, whatever the client's
        # event loop is busy with meanwhile.
        next_value = (
            f"(SELECT nextval('mention_revision') FROM "
            f"(SELECT pg_advisory_xact_lock({REVISION_LOCK})) AS locked)"
        )
        async with self.connection() as conn:
            return await conn.fetchall(sql.format(revision=next_value), params)
