"""Avatar files on disk (``beancan.avatar_files``): a cached copy is used only if it is an image."""

from __future__ import annotations

import os

import pytest

from beancan.avatar_files import AvatarFiles, cached_avatar


@pytest.mark.parametrize(
    ("content", "usable"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, True),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, True),
        (b"RIFF\0\0\0\0WEBPVP8 ", True),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", True),
        (b"", False),
        (b"<html>not an image</html>", False),
    ],
)
def test_broken_cached_avatar_falls_back(tmp_path, content, usable):
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "a.png").write_bytes(content)
    assert (cached_avatar(tmp_path, "a.png") is not None) == usable
    assert cached_avatar(tmp_path, "missing.png") is None


def test_write_puts_each_file_used_and_leaves_unchanged_ones_untouched(tmp_path):
    (tmp_path / "data" / "avatars").mkdir(parents=True)
    (tmp_path / "data" / "avatars" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"1" * 20)
    files = AvatarFiles(tmp_path / "data", "https://blog.example")
    assert files.cached("a.png") == "https://blog.example/avatars/a.png"
    drawn = files.initials("Rafe Lind", "https://rafe.example/").rsplit("/", 1)[1]
    output = tmp_path / "output"
    files.write(output)
    assert (output / "avatars" / "a.png").read_bytes() == b"\x89PNG\r\n\x1a\n" + b"1" * 20
    assert (output / "avatars" / drawn).read_text(encoding="utf-8").startswith("<svg")

    # Unchanged files keep their time (rsync sends nothing); changed ones are written again.
    os.utime(output / "avatars" / drawn, (1_000_000, 1_000_000))
    (output / "avatars" / "a.png").write_bytes(b"stale")
    files.write(output)
    assert (output / "avatars" / drawn).stat().st_mtime == 1_000_000
    assert (output / "avatars" / "a.png").read_bytes() == b"\x89PNG\r\n\x1a\n" + b"1" * 20
