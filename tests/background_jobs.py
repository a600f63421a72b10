"""Functions the background tests run in another process (spawn must import them by name)."""

from __future__ import annotations

import multiprocessing
import os

from beancan.errors import StoreError


def where(value: int) -> tuple[int, bool]:
    """``value`` doubled, and whether this ran in a child process."""
    return value * 2, multiprocessing.parent_process() is not None


def fails(path: str) -> None:
    raise StoreError(f"{path}:3: invalid JSON")


def dies_in_a_child(value: int) -> int:
    """Kills its process when it is a child; returns ``value`` when run in the caller."""
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return value
