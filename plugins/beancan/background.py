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

The jobs of one build share **one** second process (``build=`` the build's
Pelican settings, where it is kept): they run there one after another, in
the order they were started, so the build never has more than two busy
processes on a two-core machine (three made Pelican's own reading slower by
a twentieth), starts one interpreter instead of three, and the process
ends with the build (the ``finalized`` signal: ``close_build_jobs``). A job
started without ``build`` has a process of its own.

The process is a fresh interpreter running ``beancan._worker`` (not
multiprocessing): it imports only what the functions need, never the
build's own main script (multiprocessing's "spawn" runs that again, and a
build script without an ``if __name__ == "__main__"`` guard would build the
site a second time), and copies no locks of the build's threads (as "fork"
would). Jobs and results pass through files in a private temporary folder;
the pipes carry only job numbers, so neither side ever waits for the other
to drain one.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar
from weakref import finalize

from .settings import BeancanSettings, BuildOnly, build_only, take_build_only
from .store import STORE_FILE

__all__ = ["Background", "can_run_beside", "wanted"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: file names in the process's folder (``beancan._worker`` writes the results).
PATH_FILE = "path.pickle"
JOB_FILE = "job-{}.pickle"
RESULT_FILE = "result-{}.pickle"


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


#: where a build's shared process is kept in its Pelican settings (as get_settings keeps its own).
_BUILD_KEY = "_beancan_beside"


def close_build_jobs(pelican: Any) -> None:
    """Pelican signal ``finalized``: the build is over, so is its second process.

    A build run inside another with a copy of its settings (i18n_subsites'
    language subsites) shares the outer build's process and leaves it open.
    """
    shared = take_build_only(pelican.settings, _BUILD_KEY)
    if isinstance(shared, _Beside) and shared.owner == id(pelican.settings):
        shared.close()


def _shared(build: dict[str, Any]) -> _Beside:
    shared = build_only(build, _BUILD_KEY)
    if not isinstance(shared, _Beside):
        shared = _Beside(owner=id(build))
        build[_BUILD_KEY] = BuildOnly(shared)
    return shared


class _Beside:
    """A second process running jobs one after another, in the order given."""

    def __init__(self, owner: int = 0) -> None:
        #: ``id`` of the settings of the build that started it (0: a job's own).
        self.owner = owner
        self._folder: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None
        self._count = 0
        self._done: set[int] = set()
        #: jobs up to this number were lost with a process that stopped.
        self._lost = 0
        finalize(self, _Beside._stop, self.__dict__)  # a build that never finished

    def submit(self, function: Callable[..., Any], args: tuple) -> int | None:
        """Queue ``function(*args)``: its number, or None when no process can run it."""
        try:
            if self._process is not None and self._process.poll() is not None:
                self._stopped()  # between jobs, nobody waiting: the next one starts anew
            if self._process is None:
                self._start()
            self._count += 1
            number = self._count
            job = Path(self._folder.name) / JOB_FILE.format(number)
            with open(job, "wb") as handle:
                pickle.dump((function, args), handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.write(f"{number}\n".encode())
            self._process.stdin.flush()
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            logger.debug("Beancan: no second process (%s); working in the build", exc)
            return None
        return number

    def _start(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="beancan-job-")
        with open(Path(self._folder.name) / PATH_FILE, "wb") as handle:
            # The worker needs the path to find the functions' modules.
            pickle.dump(sys.path, handle)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "beancan._worker", self._folder.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def outcome(self, number: int) -> tuple[bool, Any, list[tuple[str, int, str]]] | None:
        """Job ``number``'s (done, value, warnings), or None if its process stopped first."""
        while number not in self._done:
            if number <= self._lost or self._process is None:
                return None  # its process stopped (and said so), or the build is over
            line = self._process.stdout.readline()
            if not line:
                self._stopped()
                return None
            self._done.add(int(line))
        path = Path(self._folder.name) / RESULT_FILE.format(number)
        try:
            with open(path, "rb") as handle, _collector_paused():
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            logger.warning(
                "Beancan: the second process left no readable result (%s); "
                "doing its work in the build",
                exc,
            )
            return None
        finally:
            path.unlink(missing_ok=True)

    def _stopped(self) -> None:
        """The process has stopped: every job not done yet is done in the build."""
        logger.warning(
            "Beancan: the second process stopped (exit status %s); doing its work in the build",
            self._process.wait(),
        )
        self._lost = self._count
        self.close()

    def cancel(self, number: int) -> None:
        """Nobody will ask for job ``number``: skip it if it has not started."""
        if self._folder is not None:
            (Path(self._folder.name) / JOB_FILE.format(number)).unlink(missing_ok=True)

    @property
    def folder(self) -> str | None:
        return self._folder.name if self._folder is not None else None

    def close(self) -> None:
        """End the process (at once if a job is still running) and remove its folder."""
        _Beside._stop(self.__dict__)
        self._process, self._folder = None, None
        self._done = set()

    @staticmethod
    def _stop(state: dict[str, Any]) -> None:
        process, folder = state.get("_process"), state.get("_folder")
        if process is not None:
            try:
                process.stdin.close()  # an idle worker ends at the end of its input
            except OSError:
                pass  # it has gone already
            try:
                process.wait(timeout=_GRACE)
            except subprocess.TimeoutExpired:
                process.kill()  # busy with a job nobody wants any more
                process.wait()
            process.stdout.close()
        if folder is not None:
            folder.cleanup()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one step, then as it was.

    Unpickling a result makes tens of thousands of objects at once, each
    allocation counting toward the next collection: the collector would
    scan the build's whole heap several times over for garbage a result
    (plain records, no cycles) cannot hold. Nothing else runs meanwhile,
    and the collector is back on (if it was) before anything else does.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


#: how long an ending build waits for its idle second process to leave.
_GRACE = 2.0


class Background(Generic[T]):
    """``function(*args)``, started now in another process; ``result()`` waits for it.

    ``build``: the build's Pelican settings, whose jobs share one process.
    """

    def __init__(
        self,
        function: Callable[..., T],
        *args: Any,
        enabled: bool = True,
        build: dict[str, Any] | None = None,
    ) -> None:
        self._function = function
        self._args = args
        self._beside: _Beside | None = None
        self._number: int | None = None
        self._own = build is None
        if not can_run_beside(enabled):
            return
        beside = _Beside() if build is None else _shared(build)
        self._number = beside.submit(function, args)
        if self._number is None:
            if self._own:
                beside.close()
            return
        self._beside = beside
        logger.debug("Beancan: %s runs in a second process", function.__qualname__)

    @property
    def in_background(self) -> bool:
        return self._number is not None

    def result(self) -> T:
        """The function's result (or its exception), from the process or from here."""
        if self._number is not None:
            beside, number = self._beside, self._number
            self._beside, self._number = None, None
            try:
                outcome = beside.outcome(number)
            finally:
                if self._own:
                    beside.close()
            if outcome is not None:
                done, value, warnings = outcome
                for name, level, message in warnings:
                    logging.getLogger(name).log(level, "%s", message)
                if done:
                    return value
                raise value
        return self._function(*self._args)

    def cancel(self) -> None:
        """Nobody will ask for the result: drop the job (and its own process)."""
        if self._number is not None:
            self._beside.cancel(self._number)
            if self._own:
                self._beside.close()
        self._beside, self._number = None, None
