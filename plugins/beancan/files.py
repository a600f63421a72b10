"""Plain-text data files: JSON Lines with a header, written atomically.

Every data file Beancan keeps in ``data/`` (interactions, sent log, peer
state) is one JSON object a line, sorted, so ``git diff`` shows what changed.
Writes go to a temporary file in the same folder, are fsynced, then renamed
over the old file: a crash leaves either the old file or the new one, never
half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from .errors import StoreError

__all__ = [
    "atomic_write_bytes",
    "dump_line",
    "parse_jsonl_body",
    "read_jsonl",
    "read_jsonl_body",
    "write_jsonl",
]


def dump_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    replaced = False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        replaced = True
    finally:
        # Whatever stopped us (even Ctrl-C), never leave the temporary file behind.
        if not replaced:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
    # The rename itself must reach the disk too.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_jsonl(
    path: Path,
    kind: str,
    version: int = 1,
    *,
    on_bad_line: Callable[[StoreError], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, record)`` from a data file of ``kind``; none if it is absent.

    Raises StoreError naming the file and line for anything unreadable, so a
    task stops before it could overwrite data it did not understand. A file
    that collect can rebuild (feed state, say) passes ``on_bad_line``
    instead: a line that is not a JSON object goes to it as a StoreError and
    is skipped, and only the header still stops the reading. Parsing
    uses orjson (about 2.5 times faster than json on a big store; it also
    rejects invalid UTF-8); writing keeps json's layout, see ``dump_line``.
    """
    body = read_jsonl_body(path, kind, version)
    if body is not None:
        yield from parse_jsonl_body(path, body, on_bad_line=on_bad_line)


def read_jsonl_body(path: Path, kind: str, version: int = 1) -> bytes | None:
    """The record lines of a data file of ``kind``, after its checked header; None if absent."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read: {exc.strerror}") from exc
    header, _, body = data.partition(b"\n")
    _check_header(path, header.rstrip(b"\r"), kind, version)
    return body


def parse_jsonl_body(
    path: Path, body: bytes, *, on_bad_line: Callable[[StoreError], None] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line_number, record)`` for each record line of ``read_jsonl_body``'s result."""
    for number, line in enumerate(body.splitlines(), start=2):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            error = StoreError(f"{path}:{number}: invalid JSON: {exc.args[0]}")
            if on_bad_line is None:
                raise error from exc
            on_bad_line(error)
            continue
        if not isinstance(record, dict):
            error = StoreError(f"{path}:{number}: expected a JSON object")
            if on_bad_line is None:
                raise error
            on_bad_line(error)
            continue
        yield number, record


def _check_header(path: Path, line: bytes, kind: str, version: int) -> None:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("beancan") != kind:
        raise StoreError(
            f'{path}:1: not a Beancan {kind} file (expected a header {{"beancan": "{kind}", ...}})'
        )
    if header.get("version") != version:
        raise StoreError(
            f"{path}:1: {kind} format version {header.get('version')!r}; "
            f"this Beancan reads version {version}"
        )


def write_jsonl(
    path: Path,
    kind: str,
    records: Iterable[dict[str, Any]],
    version: int = 1,
    *,
    trailing: Iterable[bytes] = (),
) -> None:
    """Atomically write ``records`` (already in their final order) under a header.

    ``trailing`` lines are written after them byte for byte: lines a loader
    could not read, which a rewrite must not lose. Nothing is written when
    the file already holds exactly these bytes.
    """
    lines = [dump_line({"beancan": kind, "version": version})]
    lines.extend(dump_line(record) for record in records)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data += b"".join(line.rstrip(b"\r\n") + b"\n" for line in trailing)
    # A file that already says exactly this is left alone: a collect that
    # found nothing new changes neither bytes nor modification time, so
    # git, rsync and the build's own caches see no change.
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)
