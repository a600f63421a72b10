"""The receiver's table, its columns, and the row type every storage returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["COLUMNS", "SCHEMA", "Mention", "Tx"]

COLUMNS = (
    "id, token, source, target, protocol, state, reason, message, moderation, api_state, "
    "revision, attempts, interaction, received_at, updated_at, claim"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS mentions (
    id {id_column},
    token TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    source_key TEXT NOT NULL,
    target_key TEXT NOT NULL,
    source_host TEXT NOT NULL,
    target_host TEXT NOT NULL,
    protocol TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    moderation TEXT NOT NULL DEFAULT '',
    api_state TEXT NOT NULL DEFAULT '',
    revision BIGINT NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before DOUBLE PRECISION NOT NULL DEFAULT 0,
    claim TEXT NOT NULL DEFAULT '',
    claimed_until DOUBLE PRECISION NOT NULL DEFAULT 0,
    client_ip TEXT NOT NULL DEFAULT '',
    author_key TEXT NOT NULL DEFAULT '',
    interaction TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (source_key, target_key)
);
CREATE INDEX IF NOT EXISTS mentions_queue ON mentions (state, not_before);
CREATE INDEX IF NOT EXISTS mentions_revision ON mentions (revision);
CREATE INDEX IF NOT EXISTS mentions_author ON mentions (author_key);
CREATE TABLE IF NOT EXISTS rules (
    rule_action TEXT NOT NULL,
    rule_kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (rule_kind, value)
);
"""


@dataclass(frozen=True, slots=True)
class Mention:
    """One (source, target) pair as the receiver knows it."""

    id: int
    token: str
    source: str
    target: str
    protocol: str
    state: str
    reason: str
    message: str
    moderation: str
    api_state: str
    revision: int
    attempts: int
    interaction: dict[str, Any] | None
    received_at: str
    updated_at: str
    claim: str = ""

    @classmethod
    def from_row(cls, row: tuple) -> Mention:
        values = list(row)
        values[12] = json.loads(values[12]) if values[12] else None
        return cls(*values)


class Tx(Protocol):
    """What a transaction (or a plain connection) offers the shared SQL below."""

    async def fetchall(self, sql: str, params: tuple = ()) -> list[tuple]: ...

    async def execute(self, sql: str, params: tuple = ()) -> int: ...
