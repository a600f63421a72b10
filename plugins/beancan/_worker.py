"""The second process of ``background.Background``: ``python -m beancan._worker FOLDER``.

Reads the caller's ``sys.path`` from ``FOLDER/path.pickle``, then job
numbers from its standard input, one a line, until the input ends. For job
N it runs the function and arguments in ``FOLDER/job-N.pickle`` and leaves
``(True, result, warnings)`` or ``(False, exception, warnings)`` in
``FOLDER/result-N.pickle``, written whole before it appears (renamed into
place), then writes the line N to its standard output. A job whose file is
gone was cancelled: only its number is written. ``warnings`` are what the
function logged at WARNING and above, as ``(logger name, level, message)``:
the caller logs them again, so they reach the build's own log (and
``--fatal warnings``) as if the work had run there. What a function prints
goes to standard error: standard output carries only job numbers.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from pathlib import Path

from .background import JOB_FILE, PATH_FILE, RESULT_FILE


class _Kept(logging.Handler):
    """Keeps what is logged, for the caller to log again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def run(folder: Path, number: int) -> None:
    """Run job ``number`` and leave its outcome in the folder."""
    try:
        with open(folder / JOB_FILE.format(number), "rb") as handle:
            function, args = pickle.load(handle)
    except FileNotFoundError:
        return  # cancelled
    kept = _Kept()
    logging.getLogger().addHandler(kept)
    try:
        outcome = (True, function(*args), kept.records)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who raises it
        outcome = (False, exc, kept.records)
    finally:
        logging.getLogger().removeHandler(kept)
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        # An exception (or result) that cannot cross: say what it was instead.
        failure = RuntimeError(f"{type(outcome[1]).__name__} from {function.__qualname__}: {exc}")
        data = pickle.dumps((False, failure, kept.records))
    result = folder / RESULT_FILE.format(number)
    partial = result.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, result)


def main(folder: Path) -> int:
    # Standard output is the channel back to the caller: what a job prints goes to stderr.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with open(folder / PATH_FILE, "rb") as handle:
        sys.path[:] = pickle.load(handle)
    for line in sys.stdin:
        number = int(line)
        try:
            run(folder, number)
            channel.write(f"{number}\n")
            channel.flush()
        except OSError:
            return 1  # the folder or the channel is gone: the build has ended without us
    return 0


if __name__ == "__main__":
    status = main(Path(sys.argv[1]))
    # Every result is in its file: leave without tearing down what the jobs
    # built (the build waits for this process to end).
    sys.stderr.flush()
    os._exit(status)
