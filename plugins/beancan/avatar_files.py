"""Avatars served from the site's own files: cached copies, or generated initials.

No page makes the reader's browser fetch a third party's image. Collect
tasks save each author's photo under ``<data>/avatars/``; the build copies
the ones that are used into ``avatars/`` in the output and draws an initials
avatar (a tiny SVG) for everyone else.
"""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path

__all__ = [
    "AVATAR_DIR",
    "AVATAR_TYPES",
    "AvatarFiles",
    "avatar_file_name",
    "cached_avatar",
    "initials",
    "initials_svg",
]

AVATAR_DIR = "avatars"
#: Content types accepted for cached avatars and the file extension each gets.
AVATAR_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
# Background colours for generated avatars: dark enough for white text (AA).
_COLOURS = ("#5b4b8a", "#1f6f78", "#8a3b12", "#2f5d3a", "#6b2e5c", "#33518c", "#7a4a00", "#4a5560")


def avatar_file_name(author_url: str, extension: str) -> str:
    """A stable file name for one author's cached avatar."""
    digest = hashlib.sha256(author_url.encode("utf-8")).hexdigest()[:20]
    return f"{digest}{extension}"


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if any(ch.isalnum() for ch in w)]
    letters = "".join(next(ch for ch in w if ch.isalnum()) for w in words[:2])
    return letters.upper() or "?"


def initials_svg(name: str, seed: str) -> tuple[str, str]:
    """``(file_name, svg_text)`` of a generated avatar for ``name``; same input, same file."""
    digest = hashlib.sha256(f"{seed}\n{name}".encode()).hexdigest()
    colour = _COLOURS[int(digest[:8], 16) % len(_COLOURS)]
    text = html.escape(initials(name))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="32" fill="{colour}"/>'
        '<text x="32" y="41" text-anchor="middle" font-family="system-ui,sans-serif" '
        f'font-size="26" font-weight="600" fill="#fff">{text}</text></svg>\n'
    )
    return f"i-{digest[:16]}.svg", svg


#: How each accepted image format starts; anything else is a broken avatar.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"<svg", b"<?xml")


def cached_avatar(data_dir: Path, file_name: str) -> Path | None:
    """The cached avatar file, if the store names one and it is really an image.

    A missing, empty or broken file gives None, and the caller draws an
    initials avatar instead.
    """
    if not file_name:
        return None
    path = Path(data_dir) / AVATAR_DIR / file_name
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return None
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return path if is_webp or head.startswith(_SIGNATURES) else None


class AvatarFiles:
    """Local avatar URLs for one build, and the files to put in ``avatars/`` for them.

    Every plugin that shows people (comments, conversations, peers) asks this
    for URLs; each file is checked or drawn once, and written once at the end.
    """

    def __init__(self, data_dir: Path, siteurl: str) -> None:
        self.data_dir = Path(data_dir)
        self.base = f"{siteurl}/{AVATAR_DIR}/"
        self.files: dict[str, Path | str] = {}
        self._usable: dict[str, bool] = {}
        self._drawn: dict[tuple[str, str], str] = {}

    def cached(self, file_name: str) -> str:
        """The URL of a cached avatar, or "" when it is missing or broken."""
        if not file_name:
            return ""
        if file_name not in self._usable:
            path = cached_avatar(self.data_dir, file_name)
            self._usable[file_name] = path is not None
            if path is not None:
                self.files[file_name] = path
        return self.base + file_name if self._usable[file_name] else ""

    def initials(self, label: str, seed: str) -> str:
        """The URL of a generated initials avatar for ``label``."""
        url = self._drawn.get((label, seed))
        if url is None:
            file_name, svg = initials_svg(label, seed)
            self.files[file_name] = svg
            url = self._drawn[(label, seed)] = self.base + file_name
        return url

    def write(self, output_path: Path) -> None:
        """Write the files used, leaving unchanged ones untouched."""
        folder = os.path.join(output_path, AVATAR_DIR)
        os.makedirs(folder, exist_ok=True)
        for name, source in sorted(self.files.items()):
            data = source.read_bytes() if isinstance(source, Path) else source.encode("utf-8")
            # Plain os calls, one open for a file that is there: 500 files a build.
            target = os.path.join(folder, name)
            try:
                with open(target, "rb") as handle:
                    if handle.read() == data:
                        continue
            except FileNotFoundError:
                pass
            with open(target, "wb") as handle:
                handle.write(data)
