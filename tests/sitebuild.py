"""Real Pelican builds of the demo site (or a variant of it), for any test."""

from __future__ import annotations

import filecmp
import logging
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Build:
    output: Path
    records: list[logging.LogRecord]

    @property
    def problems(self) -> list[str]:
        """Every warning or error the build logged, as text."""
        return [
            f"{r.levelname} {r.name}: {r.getMessage()}"
            for r in self.records
            if r.levelno >= logging.WARNING
        ]

    def page(self, path: str) -> str:
        return (self.output / path).read_text(encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_site(output: Path, settings_file: str = "pelicanconf.py", **overrides) -> Build:
    """Run a real Pelican build of the demo content into ``output``."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / settings_file), override={"OUTPUT_PATH": str(output)})
    if not Path(settings["CACHE_PATH"]).is_absolute():
        # Pelican's default, relative to the current folder: the build writes its
        # link manifest there, and a test must not write into the checkout.
        settings["CACHE_PATH"] = str(output.parent / "cache")
    settings.update(overrides)
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.WARNING)
    try:
        Pelican(settings).run()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    return Build(output, handler.records)


def tree_differences(left: Path, right: Path) -> list[str]:
    """Files only in one of two output folders, or different in them; [] if the same."""
    comparison = filecmp.dircmp(left, right)
    problems = [f"only in one build: {n}" for n in comparison.left_only + comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    problems += [f"differs: {left / n}" for n in mismatch + errors]
    for sub in comparison.common_dirs:
        problems += tree_differences(left / sub, right / sub)
    return problems
