"""Fetch authors' photos into ``<data>/avatars/`` at collect time.

Pages never make a reader's browser load a third party's image: collect
downloads each author's photo once (and again every
``BEANCAN_AVATAR_REFRESH_DAYS``), checks its declared type and its real
format, refuses it over ``BEANCAN_AVATAR_MAX_BYTES`` or
``BEANCAN_AVATAR_MAX_PIXELS`` (before decoding: decompression bombs), and
re-encodes it as a small PNG, which also drops metadata and anything hidden
after the image. Whatever fails, the author gets the generated initials
avatar instead (``Interaction.avatar`` stays "").
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from .avatar_files import AVATAR_DIR, AVATAR_TYPES, avatar_file_name
from .errors import BeancanError, FetchError
from .files import atomic_write_bytes
from .model import Interaction

__all__ = ["AvatarError", "avatar_identity", "fetch_avatar", "fetch_avatars", "shrink_image"]

logger = logging.getLogger(__name__)

#: Pillow's name for the format each accepted content type must really be.
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}


class AvatarError(BeancanError):
    """A photo that cannot be used as an avatar; the message says why."""


def avatar_identity(interaction: Interaction) -> str:
    """Whose avatar this is: the author's home page, else the photo URL itself."""
    return interaction.author.url or interaction.author.photo


def shrink_image(data: bytes, content_type: str, *, max_pixels: int, size: int) -> bytes:
    """A PNG at most ``size`` pixels a side from image bytes; raises AvatarError."""
    expected = PILLOW_FORMATS.get(content_type)
    if expected is None:
        raise AvatarError(f"content type {content_type or 'none'!r} is not an image we accept")
    try:
        with warnings.catch_warnings():
            # Pillow warns (tests turn warnings into errors) before its own bomb limit;
            # our pixel cap is lower and checked before any decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise AvatarError(f"{width}x{height} is over the {max_pixels}-pixel cap")
                image.seek(0)  # first frame of an animation
                picture = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise AvatarError(f"not a readable {expected} image ({exc})") from exc
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fresh(path: Path, refresh_days: int) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age < refresh_days * 86400


async def fetch_avatar(http: Any, settings: Any, identity: str, photo: str) -> str:
    """The cached avatar's file name for one author, fetching it if due; "" on failure."""
    name = avatar_file_name(identity, ".png")
    path = Path(settings.data_dir) / AVATAR_DIR / name
    if _fresh(path, settings.avatars.refresh_days):
        return name
    try:
        response = await http.get(
            photo,
            max_bytes=settings.avatars.max_bytes,
            headers={"Accept": ", ".join(AVATAR_TYPES)},
        )
        if response.status != 200:
            raise AvatarError(f"answered HTTP {response.status}")
        png = shrink_image(
            response.content,
            response.content_type,
            max_pixels=settings.avatars.max_pixels,
            size=settings.avatars.size,
        )
    except (FetchError, AvatarError) as exc:
        reason = str(exc)
    except Exception as exc:  # noqa: BLE001 - one stranger's photo must not stop collect
        reason = f"{type(exc).__name__}: {exc}"
    else:
        atomic_write_bytes(path, png)
        return name
    # Photo URLs come from strangers: the log shows their start, not 100 kB of them.
    logger.warning("Avatar %s for %s not used: %s", photo[:200], identity[:200], reason[:500])
    # A stale copy is better than none: keep it until a refresh succeeds.
    return name if path.is_file() else ""


async def fetch_avatars(context: Any, interactions: Sequence[Interaction]) -> list[Interaction]:
    """``interactions`` with ``avatar`` set, fetching each author's photo once."""
    photos: dict[str, str] = {}
    for interaction in interactions:
        if interaction.author.photo:
            photos.setdefault(avatar_identity(interaction), interaction.author.photo)
    names = await asyncio.gather(
        *(fetch_avatar(context.http, context.settings, who, photo) for who, photo in photos.items())
    )
    found = dict(zip(photos, names, strict=True))
    return [
        i.with_changes(avatar=found.get(avatar_identity(i), "") or i.avatar)
        if i.author.photo
        else i
        for i in interactions
    ]
