"""Which storage backend the receiver opens: SQLite for a path, PostgreSQL for a URL.

Above ``storage.py`` and its two backends in the import graph: the backends
subclass ``Storage``, and this module picks one, so ``storage.py`` imports
neither.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ConfigError
from ._sqlite import SqliteStorage
from .storage import Storage

__all__ = ["database_url", "open_storage"]


def database_url(settings: Any) -> str:
    """The database the receiver uses: env ``BEANCAN_RECEIVER_DATABASE`` wins over settings."""
    return os.environ.get("BEANCAN_RECEIVER_DATABASE") or settings.receiver.database


def open_storage(url: str) -> Storage:
    """A Storage for a SQLite path or a ``postgresql://`` URL (call ``await .open()``)."""
    if not url:
        raise ConfigError("Setting BEANCAN_RECEIVER_DATABASE is empty: name a file or a URL")
    if url.startswith(("postgresql://", "postgres://")):
        # Imported here, not above: psycopg is the optional ``postgres`` extra.
        from ._postgres import PostgresStorage

        return PostgresStorage(url)
    if "://" in url:
        raise ConfigError(
            f"Setting BEANCAN_RECEIVER_DATABASE has value {url!r}: "
            "use a file path (SQLite) or a postgresql:// URL"
        )
    return SqliteStorage(url)
