"""Data files (``beancan.files``): JSON Lines under a header, atomic writes, file:line errors."""

from __future__ import annotations

import os

import pytest

from beancan.errors import StoreError
from beancan.files import atomic_write_bytes, read_jsonl, write_jsonl


def test_a_round_trip_keeps_order_and_sorts_keys(tmp_path):
    path = tmp_path / "log.jsonl"
    write_jsonl(path, "log", [{"b": 1, "a": "é"}, {"a": 2}])
    assert path.read_text(encoding="utf-8") == (
        '{"beancan": "log", "version": 1}\n{"a": "é", "b": 1}\n{"a": 2}\n'
    )
    assert list(read_jsonl(path, "log")) == [(2, {"a": "é", "b": 1}), (3, {"a": 2})]


def test_an_absent_file_has_no_records(tmp_path):
    assert list(read_jsonl(tmp_path / "none.jsonl", "log")) == []


def test_trailing_lines_are_kept_byte_for_byte(tmp_path):
    path = tmp_path / "log.jsonl"
    write_jsonl(path, "log", [{"a": 1}], trailing=[b"{broken\r\n"])
    assert path.read_bytes().endswith(b'{"a": 1}\n{broken\n')


def test_the_same_content_is_not_rewritten(tmp_path):
    path = tmp_path / "log.jsonl"
    write_jsonl(path, "log", [{"a": 1}])
    os.utime(path, (1, 1))
    write_jsonl(path, "log", [{"a": 1}])
    assert path.stat().st_mtime == 1
    write_jsonl(path, "log", [{"a": 2}])
    assert path.stat().st_mtime != 1


def test_an_atomic_write_leaves_no_temporary_file(tmp_path):
    atomic_write_bytes(tmp_path / "sub" / "f.bin", b"new")
    assert (tmp_path / "sub" / "f.bin").read_bytes() == b"new"
    assert os.listdir(tmp_path / "sub") == ["f.bin"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.bin"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"beancan": "sent"}\n', r'log\.jsonl:1: not a Beancan log file \(expected a header'),
        (b"[]\n", r"log\.jsonl:1: not a Beancan log file"),
        (b'{"beancan": "log", "version": 2}\n', r"log\.jsonl:1: log format version 2; "
         r"this Beancan reads version 1"),
        (b'{"beancan": "log", "version": 1}\n{"a": 1}\n{oops\n', r"log\.jsonl:3: invalid JSON"),
        (b'{"beancan": "log", "version": 1}\n\n[1]\n', r"log\.jsonl:3: expected a JSON object"),
    ],
)  # fmt: skip
def test_an_unreadable_file_is_named_with_its_line(tmp_path, content, message):
    path = tmp_path / "log.jsonl"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        list(read_jsonl(path, "log"))
