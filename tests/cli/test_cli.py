"""The ``beancan`` command (``beancan/cli.py``), ``beancan check``, and settings-relative paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from beancan.cli import build_parser, main
from beancan.settings import BeancanSettings, get_settings, load_settings_file
from tests.sitebuild import ROOT

COMMANDS = ("collect", "send", "moderate", "forget", "receiver", "check")


def write_site(folder: Path, extra: str = "") -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "hello.md").write_text(
        "Title: Hello\nDate: 2026-01-02 10:00\nSlug: hello\n\nHello.\n", encoding="utf-8"
    )
    conf = folder / "pelicanconf.py"
    conf.write_text(
        "SITEURL = 'https://blog.example'\nSITENAME = 'Relative'\nAUTHOR = 'Me'\n"
        "TIMEZONE = 'UTC'\nPATH = 'content'\nOUTPUT_PATH = 'public'\nTHEME = 'simple'\n"
        "PLUGINS = ['beancan']\nBEANCAN_DATA_DIR = 'data'\nBEANCAN_BACKGROUND = False\n" + extra,
        encoding="utf-8",
    )
    return conf


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help_with_the_settings_option(
    command: str, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"])
    assert exited.value.code == 0
    assert "--settings FILE" in capsys.readouterr().out


def test_no_subcommand_prints_help_and_fails(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 2
    assert "collect" in capsys.readouterr().err


def test_check_passes_a_sound_site(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    conf = write_site(tmp_path)
    (tmp_path / "data").mkdir()
    assert main(["check", "--settings", str(conf)]) == 0
    out = capsys.readouterr().out
    assert "store: 0 interaction(s)" in out and out.endswith("check: no problems\n")


def test_check_names_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    conf = write_site(tmp_path, "BEANCAN_MODERATION = 'nope'\nBEANCAN_TYPO = 1\n")
    conf.write_text(conf.read_text().replace("PLUGINS = ['beancan']", "PLUGINS = []"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "interactions.jsonl").write_text("this is not json\n")
    assert main(["check", "--settings", str(conf)]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if "PROBLEM" in line]
    assert len(problems) == 4, problems
    assert any("BEANCAN_MODERATION" in p and "'nope'" in p for p in problems)
    assert any("Unknown setting BEANCAN_TYPO" in p for p in problems)
    assert any('does not list "beancan"' in p for p in problems)
    assert problems[-1].startswith("PROBLEM  store:") and "interactions.jsonl" in problems[-1]


def test_check_fails_on_a_missing_settings_file(tmp_path: Path) -> None:
    assert main(["check", "--settings", str(tmp_path / "nope.py")]) == 1


def test_data_dir_is_relative_to_the_settings_file_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = write_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    from_file = BeancanSettings.from_pelican(load_settings_file("site/pelicanconf.py"))
    assert from_file.data_dir == tmp_path / "site" / "data"
    # As `pelican -s FILE` reads it: Pelican keeps no record of the file.
    from pelican.settings import read_settings

    assert get_settings(read_settings(str(conf))).data_dir == tmp_path / "site" / "data"


def test_an_absolute_data_dir_stays_as_it_is(tmp_path: Path) -> None:
    conf = write_site(tmp_path, f"BEANCAN_DATA_DIR = {str(tmp_path / 'elsewhere')!r}\n")
    assert BeancanSettings.from_pelican(load_settings_file(conf)).data_dir == (
        tmp_path / "elsewhere"
    )


def test_invoke_build_writes_into_the_settings_output_path(tmp_path: Path) -> None:
    conf = write_site(tmp_path / "site")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--settings", str(conf)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "public" / "hello.html").is_file()
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "clean", "--settings", str(conf)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "site" / "public").exists()
