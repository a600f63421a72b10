"""Shared by the build benchmarks (bench/ is on sys.path whichever way they run)."""

from __future__ import annotations

import os


def scratch_dir() -> str | None:
    """Build output goes to memory (tmpfs) when the machine has it.

    Both sides of the comparison write thousands of files; on this shared
    disk write times alone varied two to ten times between runs, drowning
    what is measured (the plugins' own work). Both sides get the same folder.
    """
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
