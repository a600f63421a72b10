"""Beancan's own work on a second core, beside Pelican's.

Pelican builds on one core. Most of what Beancan adds to a build (reading
the store, threading every post's responses, building the conversations
graph) depends on the data files, not on anything Pelican does meanwhile,
so it can run in a process of its own while Pelican reads and writes the
content, and be picked up when it is needed. With a big store that turns
seconds of added build time into a wait of about nothing.

The work must be a plain function of picklable arguments, with no effect
but its result (and no logging: its process has no handlers; what it has to
say goes in the result or an exception), so that running it here or there
gives the same site; the
tests build both ways and compare. It runs here instead when the setting
``BEANCAN_BACKGROUND`` is off, when the store is smaller than
``BEANCAN_BACKGROUND_MIN_STORE`` (a new process takes about 0.3 s to start,
more than a small store's whole work), on a one-CPU machine, or when the
process cannot be started or dies; an exception the function raises (a
StoreError) reaches the caller in either case.

Processes are started with "spawn" (a fresh interpreter), never "fork": a
fork copies whatever locks other threads of the build hold.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Generic, TypeVar

from .settings import BeancanSettings
from .store import STORE_FILE

__all__ = ["Background", "can_run_beside", "wanted"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


def wanted(settings: BeancanSettings) -> bool:
    """Whether the settings and the store's size call for a second process."""
    if not settings.background:
        return False
    try:
        size = (Path(settings.data_dir) / STORE_FILE).stat().st_size
    except OSError:
        size = 0
    return size >= settings.background_min_store


def can_run_beside(enabled: bool) -> bool:
    """Whether a second process can help: asked for, and a second CPU to run it on."""
    if not enabled:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus > 1


class Background(Generic[T]):
    """``function(*args)``, started now in another process; ``result()`` waits for it."""

    def __init__(self, function: Callable[..., T], *args: Any, enabled: bool = True) -> None:
        self._function = function
        self._args = args
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[T] | None = None
        if not can_run_beside(enabled):
            return
        try:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
            self._future = self._pool.submit(function, *args)
            logger.debug("Beancan: %s runs in a second process", function.__qualname__)
        # OSError: no process or pipe to be had; ImportError, NotImplementedError:
        # a platform without working semaphores (multiprocessing.synchronize).
        except (OSError, RuntimeError, ImportError, NotImplementedError) as exc:
            logger.debug("Beancan: no background process (%s); working in the build", exc)
            self._close()

    @property
    def in_background(self) -> bool:
        return self._future is not None

    def result(self) -> T:
        """The function's result (or its exception), from the process or from here."""
        if self._future is not None:
            try:
                return self._future.result()
            except BrokenProcessPool as exc:
                logger.warning(
                    "Beancan: the background process stopped (%s); doing its work in the build",
                    exc,
                )
            finally:
                self._close()
        return self._function(*self._args)

    def cancel(self) -> None:
        """Nobody will ask for the result: stop the process."""
        self._close()

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self._future = None
