"""Functions the background tests run in another process (it imports them by name)."""

from __future__ import annotations

import os

from beancan.errors import StoreError


def where(value: int, caller: int) -> tuple[int, bool]:
    """``value`` doubled, and whether this ran in another process than ``caller``."""
    return value * 2, os.getpid() != caller


def fails(path: str) -> None:
    raise StoreError(f"{path}:3: invalid JSON")


def dies_elsewhere(value: int, caller: int) -> int:
    """Kills its process unless it is ``caller``; returns ``value`` there."""
    if os.getpid() != caller:
        os._exit(3)
    return value


class Unpicklable(Exception):
    def __init__(self, handle) -> None:
        super().__init__("holds an open file")
        self.handle = handle

    def __reduce__(self):
        raise TypeError("cannot pickle an open file")


def fails_unpicklably() -> None:
    raise Unpicklable(open(os.devnull))  # noqa: SIM115 - the point is that it cannot cross


def warns(value: int, fail: bool) -> int:
    """Logs a warning and an info line, then returns ``value`` (or raises)."""
    import logging

    logger = logging.getLogger("beancan.store")
    logger.warning("data/interactions.jsonl:%d: record skipped", value)
    logger.info("not worth repeating")
    if fail:
        raise StoreError("data/interactions.jsonl: unreadable")
    return value


def compute_then_die(inputs):
    """The conversations job, which in another process breaks half its pages and dies.

    It stands for a job killed half-way through writing the pages: run where
    ``BEANCAN_TEST_CALLER`` (the build's pid) says, it is the real ``compute``.
    """
    from beancan.conversations.compute import compute

    computed = compute(inputs)
    if os.getpid() != int(os.environ["BEANCAN_TEST_CALLER"]):
        for paths in computed.written.values():
            for path in paths[::2]:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write("half")
        os._exit(3)
    return computed


def pid() -> int:
    return os.getpid()


def touch(path: str, seconds: float = 0.0) -> str:
    """Waits ``seconds``, then creates ``path``: shows whether (and when) a job ran."""
    import time

    time.sleep(seconds)
    with open(path, "a", encoding="utf-8"):
        pass
    return path


def prints(value: int) -> int:
    print("a line a job prints", value)
    return value
