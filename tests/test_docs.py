"""Docs that cannot drift: every setting and task is in the README; CI runs its command."""

from __future__ import annotations

import re

from invoke import Collection

from beancan.settings import setting_keys
from tests.sitebuild import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _settings_table() -> set[str]:
    section = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(BEANCAN_[A-Z0-9_]+)`", section, re.M))


def _settings_in_code() -> set[str]:
    names = set(setting_keys())
    for path in [*sorted((ROOT / "plugins").rglob("*.py")), ROOT / "tasks.py"]:
        names |= set(re.findall(r"\bBEANCAN_[A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    # BEANCAN_X_Y is the docstring's placeholder for "any setting".
    return {n for n in names if n.startswith("BEANCAN_") and n != "BEANCAN_X_Y"}


def test_every_setting_the_code_reads_is_in_the_readme_table():
    assert sorted(_settings_in_code() - _settings_table()) == []


def test_the_readme_table_lists_no_setting_the_code_does_not_read():
    assert sorted(_settings_table() - _settings_in_code()) == []


def test_every_task_is_in_the_readme():
    import tasks

    names = set(Collection.from_module(tasks).task_names)
    missing = sorted(n for n in names if f"`invoke {n}`" not in README)
    assert len(names) >= 14
    assert missing == []


def _readme_command(number: int) -> str:
    block = README.split(f"**{number}.", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", block, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command_exactly():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _readme_command(2) in ci


def test_readme_demo_command_builds_and_serves():
    command = _readme_command(1)
    assert command.startswith("scripts/setup && ")
    assert "invoke demo" in command or "invoke build serve" in command
