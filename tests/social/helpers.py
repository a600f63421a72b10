"""Helpers of the social tests: settings, the list a build writes, one collect."""

from __future__ import annotations

import asyncio
from pathlib import Path

from beancan.collect import collect_all
from beancan.collecting import SourceReport
from beancan.settings import BeancanSettings
from beancan.social.syndication import SyndicatedPost, parse_copy, write_manifest
from tests.social.fakes import FakeAppView

POST = "https://blog.example/2026/05/on-the-line/"


def social_settings(data_dir: Path, appview: FakeAppView, **overrides) -> BeancanSettings:
    values = dict(
        siteurl="https://blog.example",
        data_dir=data_dir,
        allow_private_addresses=True,
        http_timeout=5.0,
        moderation="open",
        bluesky_appview=appview.base,
        people_fetch_per_run=0,
    )
    values.update(overrides)
    return BeancanSettings.of(**values)


def list_post(data_dir: Path, *copies: str, post: str = POST, published: str = "") -> None:
    """What a build writes for one syndicated post (``published`` defaults to today)."""
    from beancan.store import now_iso

    write_manifest(
        data_dir,
        [SyndicatedPost(post, published or now_iso(), tuple(parse_copy(c) for c in copies))],
    )


def collect(settings: BeancanSettings, **options) -> list[SourceReport]:
    return list(asyncio.run(collect_all(settings, **options)))
