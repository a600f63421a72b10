"""The receiver's database: one table of mentions that is also the verification queue.

SQLite (the default, one receiver process) and PostgreSQL (any number of
receiver processes sharing one queue) run the same SQL; only the id column,
the revision counter and ``FOR UPDATE SKIP LOCKED`` differ (see ``_sqlite``
and ``_postgres``). A mention row moves through these states::

    queued -> verifying -> verified | rejected | deleted | failed
       ^          |
       +----------+  (retry after a transient failure, shutdown, or an expired claim)

Every change a JF2 client must see (verified, updated, approved, deleted)
takes the next ``revision``; the API's ``wm-id`` is that revision, so
``since_id`` finds updates and deletions as well as new mentions.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from contextlib import AbstractAsyncContextManager
from typing import Any

from ..errors import ReceiverError
from .schema import COLUMNS, SCHEMA, Mention, Tx

__all__ = ["SCHEMA", "ClaimLost", "Mention", "Storage", "Tx", "api_token"]


class Storage:
    """Dialect-neutral queries; subclasses supply connections and two dialect bits."""

    #: appended to the claim's inner SELECT (PostgreSQL: ``FOR UPDATE SKIP LOCKED``).
    lock_clause = ""
    #: whether more than one process may share this database's queue.
    shared = False

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def connection(self) -> AbstractAsyncContextManager[Tx]:
        """A connection in autocommit mode, for single statements."""
        raise NotImplementedError

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        raise NotImplementedError

    async def update_revision(self, sql: str, params: tuple) -> list[tuple]:
        """Run one ``UPDATE ... SET revision = {revision} ... RETURNING``, atomically.

        ``{revision}`` becomes the dialect's next revision number, taken so that
        commits happen in revision order (a JF2 client paging by ``since_id``
        must never see revision N+1 before N is visible).
        """
        raise NotImplementedError

    async def redo_on_crash(self, tx: Tx) -> None:
        """Mark a transaction whose loss in a crash only means doing the work again.

        A lost claim leaves the row queued; a lost verdict leaves the claim to
        expire and the mention is verified again. Such commits need not wait
        for the disk (PostgreSQL: ``synchronous_commit = off``).
        """

    # --- receiving
    async def enqueue(
        self, keys: tuple[str, str, str, str], source: str, target: str, protocol: str, ip: str
    ) -> Mention:
        """Queue (source, target); a re-sent mention is queued again for re-verification.

        ``keys`` is (source_key, target_key, source_host, target_host).
        """
        now = _iso()
        sql = (
            "INSERT INTO mentions (token, source, target, source_key, target_key, source_host, "
            "target_host, protocol, state, client_ip, received_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) "
            "ON CONFLICT (source_key, target_key) DO UPDATE SET source = excluded.source, "
            "target = excluded.target, protocol = excluded.protocol, state = 'queued', "
            "reason = '', message = '', attempts = 0, not_before = 0, claim = '', "
            "claimed_until = 0, client_ip = excluded.client_ip, updated_at = excluded.updated_at "
            f"RETURNING {COLUMNS}"
        )
        token = secrets.token_urlsafe(12)
        params = (token, source, target, *keys, protocol, ip, now, now)
        async with self.connection() as conn:
            rows = await conn.fetchall(sql, params)
        return Mention.from_row(rows[0])

    async def get(self, token: str) -> Mention | None:
        async with self.connection() as conn:
            rows = await conn.fetchall(f"SELECT {COLUMNS} FROM mentions WHERE token = ?", (token,))
        return Mention.from_row(rows[0]) if rows else None

    async def find(self, source_key: str, target_key: str) -> Mention | None:
        sql = f"SELECT {COLUMNS} FROM mentions WHERE source_key = ? AND target_key = ?"
        async with self.connection() as conn:
            rows = await conn.fetchall(sql, (source_key, target_key))
        return Mention.from_row(rows[0]) if rows else None

    async def queue_length(self) -> int:
        async with self.connection() as conn:
            rows = await conn.fetchall(
                "SELECT COUNT(*) FROM mentions WHERE state IN ('queued', 'verifying')"
            )
        return int(rows[0][0])

    # --- the verification queue
    async def claim(self, limit: int, lease: float) -> list[Mention]:
        """Take up to ``limit`` due mentions, including ones whose claim expired."""
        now = time.time()
        claim = secrets.token_hex(8)
        sql = (
            "UPDATE mentions SET state = 'verifying', claim = ?, claimed_until = ?, "
            "attempts = attempts + 1 WHERE id IN (SELECT id FROM mentions WHERE "
            "(state = 'queued' AND not_before <= ?) OR (state = 'verifying' AND claimed_until < ?) "
            f"ORDER BY id LIMIT ? {self.lock_clause}) RETURNING {COLUMNS}"
        )
        async with self.transaction() as tx:
            await self.redo_on_crash(tx)
            rows = await tx.fetchall(sql, (claim, now + lease, now, now, limit))
        return sorted((Mention.from_row(row) for row in rows), key=lambda m: m.id)

    async def release(self, mentions: list[Mention]) -> None:
        """Put claimed mentions back at once (graceful shutdown); the attempt is not counted."""
        async with self.transaction() as tx:
            for mention in mentions:
                await tx.execute(
                    "UPDATE mentions SET state = 'queued', claim = '', claimed_until = 0, "
                    "attempts = attempts - 1 WHERE id = ? AND claim = ?",
                    (mention.id, mention.claim),
                )

    async def release_all(self) -> int:
        """Re-queue every claimed mention: only safe when no other process shares the queue."""
        async with self.connection() as conn:
            return await conn.execute(
                "UPDATE mentions SET state = 'queued', claim = '', claimed_until = 0 "
                "WHERE state = 'verifying'"
            )

    async def retry(self, mention: Mention, delay: float, reason: str, message: str) -> bool:
        async with self.connection() as conn:
            changed = await conn.execute(
                "UPDATE mentions SET state = 'queued', claim = '', not_before = ?, reason = ?, "
                "message = ?, updated_at = ? WHERE id = ? AND claim = ?",
                (time.time() + delay, reason, message, _iso(), mention.id, mention.claim),
            )
        return changed == 1

    async def finish(
        self,
        mention: Mention,
        *,
        state: str,
        reason: str = "",
        message: str = "",
        moderation: str | None = None,
        api_state: str | None = None,
        interaction: dict[str, Any] | None = None,
        author_key: str | None = None,
    ) -> int:
        """Record a verdict for a claimed mention and return its new revision.

        ``interaction`` None keeps the stored one; ``{}`` clears it (a deletion).
        Raises ClaimLost when another worker or a re-send took the mention over.
        """
        moderation = mention.moderation if moderation is None else moderation
        if interaction is None:  # keep what an earlier verification found
            interaction = mention.interaction
        api_state = mention.api_state if api_state is None else api_state
        rows = await self.update_revision(
            "UPDATE mentions SET state = ?, reason = ?, message = ?, moderation = ?, "
            "api_state = ?, interaction = ?, author_key = COALESCE(?, author_key), "
            "revision = {revision}, claim = '', claimed_until = 0, updated_at = ? "
            "WHERE id = ? AND claim = ? RETURNING revision",
            (state, reason, message, moderation, api_state,
             json.dumps(interaction) if interaction else "", author_key, _iso(),
             mention.id, mention.claim),
        )  # fmt: skip
        if not rows:
            raise ClaimLost
        return int(rows[0][0])

    async def has_approved_author(self, author_key: str) -> bool:
        async with self.connection() as conn:
            rows = await conn.fetchall(
                "SELECT 1 FROM mentions WHERE author_key = ? AND moderation = 'approved' "
                "AND state = 'verified' LIMIT 1",
                (author_key,),
            )
        return bool(rows)

    # --- moderation rules and decisions
    async def rules(self) -> list[tuple[str, str, str]]:
        async with self.connection() as conn:
            rows = await conn.fetchall("SELECT rule_action, rule_kind, value FROM rules")
        return [(str(a), str(k), str(v)) for a, k, v in rows]

    async def add_rule(self, action: str, kind: str, value: str) -> None:
        async with self.connection() as conn:
            await conn.execute(
                "INSERT INTO rules (rule_action, rule_kind, value) VALUES (?, ?, ?) "
                "ON CONFLICT (rule_kind, value) DO UPDATE SET rule_action = excluded.rule_action",
                (action, kind, value),
            )

    async def with_state(self, states: tuple[str, ...]) -> list[Mention]:
        marks = ", ".join("?" for _ in states)
        sql = f"SELECT {COLUMNS} FROM mentions WHERE state IN ({marks}) ORDER BY id"
        async with self.connection() as conn:
            return [Mention.from_row(row) for row in await conn.fetchall(sql, states)]

    async def set_moderation(self, mention: Mention, moderation: str, api_state: str) -> int:
        """An author's decision on one verified mention; returns the new revision."""
        rows = await self.update_revision(
            "UPDATE mentions SET moderation = ?, api_state = ?, revision = {revision}, "
            "updated_at = ? WHERE id = ? RETURNING revision",
            (moderation, api_state, _iso(), mention.id),
        )
        return int(rows[0][0]) if rows else 0

    # --- the JF2 API
    async def api_rows(
        self,
        *,
        api_states: tuple[str, ...],
        since_id: int,
        target_key: str,
        domain: str,
        newest_first: bool,
        limit: int,
        offset: int,
    ) -> list[Mention]:
        marks = ", ".join("?" for _ in api_states)
        where = [f"api_state IN ({marks})", "revision > ?"]
        params: list[Any] = [*api_states, since_id]
        if target_key:
            where.append("target_key = ?")
            params.append(target_key)
        if domain:
            where.append("target_host = ?")
            params.append(domain)
        order = "DESC" if newest_first else "ASC"
        sql = (
            f"SELECT {COLUMNS} FROM mentions WHERE {' AND '.join(where)} "
            f"ORDER BY revision {order} LIMIT ? OFFSET ?"
        )
        async with self.connection() as conn:
            rows = await conn.fetchall(sql, (*params, limit, offset))
        return [Mention.from_row(row) for row in rows]


class ClaimLost(ReceiverError):
    """The claim was taken over (expired, or the mention was re-sent): drop the verdict."""


def _iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def api_token(settings: Any) -> str:
    """The API token: env ``BEANCAN_RECEIVER_API_TOKEN`` wins over settings."""
    return os.environ.get("BEANCAN_RECEIVER_API_TOKEN") or settings.receiver.api_token
