"""Beancan's own work on a second core, beside Pelican's.

Pelican builds on one core. Most of what Beancan adds to a build (reading
the store, threading every post's responses, building the conversations
graph) depends on the data files, not on anything Pelican does meanwhile,
so it can run in a process of its own while Pelican reads and writes the
content, and be picked up when it is needed. With a big store that turns
seconds of added build time into a wait of about nothing.

The work must be a plain function of picklable arguments, with no effect
but its result, so that running it here or there gives the same site; the
tests build both ways and compare. One effect is allowed: a job given the
output folder may write the output files it is told to (the conversations
job writes the person and conversation pages). The caller checks them when
it picks up the result, and when the job fails or its process dies it does
the work itself and writes every one of those files again, so a job killed
half-way leaves no page of its own behind. What it logs at WARNING and above (a
skipped store record) is logged again here when the result is picked up,
under the same logger, so the build's log shows it either way. It runs here
instead when the setting ``BEANCAN_BACKGROUND`` is off, when the store is
smaller than ``BEANCAN_BACKGROUND_MIN_STORE`` (a new process takes about
0.3 s to start, more than a small store's whole work), on a one-CPU
machine, or when the process cannot be started or dies; an exception the
function raises (a StoreError) reaches the caller in either case.

The process is a fresh interpreter running ``beancan._worker`` (not
multiprocessing): it imports only what the function needs, never the
build's own main script (multiprocessing's "spawn" runs that again, and a
build script without an ``if __name__ == "__main__"`` guard would build the
site a second time), and copies no locks of the build's threads (as "fork"
would). The job and its result pass through files in a private temporary
folder, so neither side ever waits for the other to drain a pipe.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from .settings import BeancanSettings
from .store import STORE_FILE

__all__ = ["Background", "can_run_beside", "wanted"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: file names in the job's folder (``beancan._worker`` writes the result).
JOB_FILE = "job.pickle"
RESULT_FILE = "result.pickle"


def wanted(settings: BeancanSettings) -> bool:
    """Whether the settings and the store's size call for a second process."""
    if not settings.build.background:
        return False
    try:
        size = (Path(settings.data_dir) / STORE_FILE).stat().st_size
    except OSError:
        size = 0
    return size >= settings.build.background_min_store


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
        self._folder: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None
        if not can_run_beside(enabled):
            return
        try:
            self._folder = tempfile.TemporaryDirectory(prefix="beancan-job-")
            with open(Path(self._folder.name) / JOB_FILE, "wb") as handle:
                # The path first: the worker needs it to find the function's module.
                pickle.dump(sys.path, handle)
                pickle.dump((function, args), handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._process = subprocess.Popen(
                [sys.executable, "-m", "beancan._worker", self._folder.name],
                stdin=subprocess.DEVNULL,
            )
            logger.debug("Beancan: %s runs in a second process", function.__qualname__)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            logger.debug("Beancan: no second process (%s); working in the build", exc)
            self._close()

    @property
    def in_background(self) -> bool:
        return self._process is not None

    def result(self) -> T:
        """The function's result (or its exception), from the process or from here."""
        if self._process is not None:
            try:
                outcome = self._outcome()
            finally:
                self._close()
            if outcome is not None:
                done, value, warnings = outcome
                for name, level, message in warnings:
                    logging.getLogger(name).log(level, "%s", message)
                if done:
                    return value
                raise value
        return self._function(*self._args)

    def _outcome(self) -> tuple[bool, Any, list[tuple[str, int, str]]] | None:
        status = self._process.wait()
        path = Path(self._folder.name) / RESULT_FILE
        if status == 0:
            try:
                with open(path, "rb") as handle:
                    return pickle.load(handle)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
                status = f"0 but no readable result: {exc}"
        logger.warning(
            "Beancan: the second process stopped (exit status %s); doing its work in the build",
            status,
        )
        return None

    def cancel(self) -> None:
        """Nobody will ask for the result: stop the process."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def _close(self) -> None:
        self._process = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
