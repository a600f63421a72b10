"""The second process of ``background.Background``: ``python -m beancan._worker FOLDER``.

Reads the job (the caller's ``sys.path``, then the function and its
arguments) from ``FOLDER/job.pickle``, runs it, and leaves
``(True, result, warnings)`` or ``(False, exception, warnings)`` in
``FOLDER/result.pickle``, written whole before it appears (renamed into
place). ``warnings`` are what the function logged at WARNING and above, as
``(logger name, level, message)``: the caller logs them again, so they reach
the build's own log (and ``--fatal warnings``) as if the work had run there.
Exit status 0 means a result is there; anything else, that the caller must
do the work itself.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from pathlib import Path

from .background import JOB_FILE, RESULT_FILE


class _Kept(logging.Handler):
    """Keeps what is logged, for the caller to log again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def main(folder: Path) -> int:
    kept = _Kept()
    logging.getLogger().addHandler(kept)
    with open(folder / JOB_FILE, "rb") as handle:
        sys.path[:] = pickle.load(handle)
        function, args = pickle.load(handle)
    try:
        outcome = (True, function(*args), kept.records)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who raises it
        outcome = (False, exc, kept.records)
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        # An exception (or result) that cannot cross: say what it was instead.
        failure = RuntimeError(f"{type(outcome[1]).__name__} from {function.__qualname__}: {exc}")
        data = pickle.dumps((False, failure, kept.records))
    partial = folder / (RESULT_FILE + ".part")
    partial.write_bytes(data)
    os.replace(partial, folder / RESULT_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
