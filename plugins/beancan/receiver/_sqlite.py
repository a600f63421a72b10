"""SQLite storage: one file, WAL mode, one receiver process.

Statements run on the event loop's thread: each takes microseconds, and no
``await`` inside a transaction ever yields, so coroutines cannot interleave
within one. ``synchronous=NORMAL`` in WAL mode survives a process crash
(SIGKILL) without losing a committed row; only a power loss may lose the
last transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from ..errors import StoreError
from .storage import SCHEMA, Storage, Tx

__all__ = ["SqliteStorage"]


class _Conn:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    async def fetchall(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.db.execute(sql, params).fetchall()

    async def execute(self, sql: str, params: tuple = ()) -> int:
        return self.db.execute(sql, params).rowcount


class SqliteStorage(Storage):
    shared = False

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    async def open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the receiver database: {exc}") from exc
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=5000")
        db.executescript(SCHEMA.format(id_column="INTEGER PRIMARY KEY"))
        db.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER)")
        db.execute("INSERT OR IGNORE INTO counters VALUES ('revision', 0)")
        self._db = db

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"{self.path}: the receiver database is not open")
        return self._db

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Tx]:
        yield _Conn(self.db)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        db = self.db
        # IMMEDIATE takes the write lock up front: no deadlock with another writer.
        db.execute("BEGIN IMMEDIATE")
        done = False
        try:
            yield _Conn(db)
            done = True
        finally:
            # Cancellation too (shutdown) must leave no transaction open.
            db.execute("COMMIT" if done else "ROLLBACK")

    async def update_revision(self, sql: str, params: tuple) -> list[tuple]:
        next_value = "(SELECT value + 1 FROM counters WHERE name = 'revision')"
        async with self.transaction() as tx:
            rows = await tx.fetchall(sql.format(revision=next_value), params)
            if rows:
                await tx.execute("UPDATE counters SET value = value + 1 WHERE name = 'revision'")
        return rows
