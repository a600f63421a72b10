"""Avatar files on disk (``beancan.avatar_files``): a cached copy is used only if it is an image."""

from __future__ import annotations

import pytest

from beancan.avatar_files import cached_avatar


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
