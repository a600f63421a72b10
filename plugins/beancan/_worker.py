"""The second process of ``background.Background``: ``python -m beancan._worker FOLDER``.

Reads the job (the caller's ``sys.path``, then the function and its
arguments) from ``FOLDER/job.pickle``, runs it, and leaves
``(True, result)`` or ``(False, exception)`` in ``FOLDER/result.pickle``,
written whole before it appears (renamed into place). Exit status 0 means a
result is there; anything else, that the caller must do the work itself.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from .background import JOB_FILE, RESULT_FILE


def main(folder: Path) -> int:
    with open(folder / JOB_FILE, "rb") as handle:
        sys.path[:] = pickle.load(handle)
        function, args = pickle.load(handle)
    try:
        outcome = (True, function(*args))
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who raises it
        outcome = (False, exc)
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        # An exception (or result) that cannot cross: say what it was instead.
        failure = RuntimeError(f"{type(outcome[1]).__name__} from {function.__qualname__}: {exc}")
        data = pickle.dumps((False, failure))
    partial = folder / (RESULT_FILE + ".part")
    partial.write_bytes(data)
    os.replace(partial, folder / RESULT_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
