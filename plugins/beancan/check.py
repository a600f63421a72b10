"""``beancan check``: are the settings and the stored data sound? Says what is wrong.

Reads, never writes: the settings (every bad or unknown ``BEANCAN_`` key,
each by name), whether ``PLUGINS`` turns Beancan on, and every data file in
``BEANCAN_DATA_DIR`` (the store, sent log, moderation rules, collect state,
peers, people), each named with what is wrong in it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import BeancanError

__all__ = ["check_command", "check_site"]


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def check_site(settings_file: str) -> tuple[list[str], list[str]]:
    """``(findings, problems)``: what was checked and found sound, and what is wrong."""
    from .settings import BeancanSettings, load_settings_file, resolve_data_dir

    try:
        pelican_settings = load_settings_file(settings_file)
    except BeancanError as exc:
        return [], [str(exc)]
    handler = _Collected()
    logger = logging.getLogger("beancan")
    logger.addHandler(handler)
    try:
        settings = BeancanSettings.from_pelican(pelican_settings, strict=False)
    finally:
        logger.removeHandler(handler)
    problems = list(handler.messages)
    findings = [f"settings: {settings_file}"]
    plugins = [str(p) for p in pelican_settings.get("PLUGINS") or ()]
    if not any(p == "beancan" or p.startswith("beancan.") for p in plugins):
        problems.append(f'PLUGINS in {settings_file} does not list "beancan": the build '
                        "shows no comments")  # fmt: skip
    # As configured even when another key is bad (the settings fall back to defaults then).
    data_dir = Path(settings.data_dir)
    if pelican_settings.get("BEANCAN_DATA_DIR"):
        data_dir = resolve_data_dir(Path(pelican_settings["BEANCAN_DATA_DIR"]), pelican_settings)
    if not data_dir.exists():
        findings.append(f"data: {data_dir} does not exist yet (collect creates it)")
        return findings, problems
    if not data_dir.is_dir():
        return findings, [*problems, f"BEANCAN_DATA_DIR {data_dir} is not a folder"]
    for name, load in _data_files(settings, data_dir).items():
        try:
            found = load()
        except BeancanError as exc:
            problems.append(f"{name}: {exc}")
        else:
            findings.append(f"{name}: {found}")
    return findings, problems


def _data_files(settings, data: Path) -> dict[str, Callable[[], Any]]:
    from .graph.people import read_people
    from .moderation import ModerationRules
    from .peers.config import load_peers
    from .peers.feed_state import load_posts, load_states
    from .store import InteractionStore
    from .webmention.collect_state import CollectState
    from .webmention.sentlog import SentLog

    def readable(load: Callable[[Path], Any]) -> Callable[[], str]:
        return lambda: (load(data), "readable")[1]

    return {
        "store": lambda: f"{len(InteractionStore.load(data))} interaction(s)",
        "sent log": lambda: f"{len(SentLog.load(data))} notification(s)",
        "moderation rules": readable(ModerationRules.load),
        "collect state": readable(CollectState.load),
        "peers": lambda: f"{len(load_peers(settings))} configured, "
        f"{len(load_states(data))} with feed state, {len(load_posts(data))} with posts",
        "people": lambda: f"{len(read_people(data))} home page(s) read",
    }  # fmt: skip


def check_command(settings_file: str) -> int:
    """Print what was checked and every problem; exit status 1 if there is any."""
    findings, problems = check_site(settings_file)
    for line in findings:
        print(f"ok       {line}")
    for line in problems:
        print(f"PROBLEM  {line}")
    print("check: no problems" if not problems else f"check: {len(problems)} problem(s)")
    return 1 if problems else 0
