"""Avatars fetched at collect time: checked, capped, resized, once per author, refreshed."""

from __future__ import annotations

import asyncio
import io
import os
import time
from types import SimpleNamespace

import pytest
from PIL import Image

from beancan.avatar_fetch import fetch_avatars, shrink_image
from beancan.avatar_files import avatar_file_name
from beancan.http import HttpClient
from beancan.model import make_interaction

from .conftest import Reply, Server


def image_bytes(fmt: str, size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt)
    return out.getvalue()


def reply_by(author_url: str, photo: str, n: int = 1):
    return make_interaction(
        source=f"https://a.example/{n}",
        target="https://blog.example/p/",
        kind="reply",
        author={"name": "A", "url": author_url, "photo": photo},
    )


def run(settings, interactions):
    async def go():
        async with HttpClient.from_settings(settings) as http:
            return await fetch_avatars(SimpleNamespace(http=http, settings=settings), interactions)

    return asyncio.run(go())


def test_an_avatar_is_fetched_resized_and_named_once_per_author(server: Server, settings):
    server.routes["/me.jpg"] = Reply(200, image_bytes("JPEG"), content_type="image/jpeg")
    photo = server.url("/me.jpg")
    first, second = run(
        settings,
        [reply_by("https://a.example/", photo, 1), reply_by("https://a.example/", photo, 2)],
    )
    name = avatar_file_name("https://a.example/", ".png")
    assert first.avatar == second.avatar == name
    assert len(server.hits("/me.jpg")) == 1
    with Image.open(settings.data_dir / "avatars" / name) as saved:
        assert (saved.format, saved.size) == ("PNG", (128, 96))
    # Fresh: the next collect asks nothing.
    run(settings, [reply_by("https://a.example/", photo)])
    assert len(server.hits("/me.jpg")) == 1
    # Older than BEANCAN_AVATAR_REFRESH_DAYS: fetched again.
    old = time.time() - 31 * 86400
    os.utime(settings.data_dir / "avatars" / name, (old, old))
    run(settings, [reply_by("https://a.example/", photo)])
    assert len(server.hits("/me.jpg")) == 2


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (Reply(200, "<html>", content_type="text/html"), "not an image we accept"),
        (Reply(200, image_bytes("GIF"), content_type="image/png"), "not a readable PNG"),
        (Reply(200, image_bytes("PNG", (5000, 4000)), content_type="image/png"), "pixel cap"),
        (Reply(200, b"x" * 2_000, content_type="image/png"), "over the 1000-byte cap"),
        (Reply(404, "gone"), "answered HTTP 404"),
    ],
)
def test_a_bad_avatar_falls_back_to_the_generated_one(server, settings, reply, why, caplog):
    server.routes["/me.png"] = reply
    small = settings.replaced(avatar_max_bytes=1000) if "byte cap" in why else settings
    (interaction,) = run(small, [reply_by("https://b.example/", server.url("/me.png"))])
    assert interaction.avatar == ""
    assert not (settings.data_dir / "avatars").exists()
    assert why in caplog.text


def test_shrink_image_keeps_small_images_small() -> None:
    png = shrink_image(image_bytes("WEBP", (40, 40)), "image/webp", max_pixels=10_000, size=128)
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (40, 40))
