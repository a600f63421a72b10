"""``site/placement.py``: the head links a theme left out, and only those."""

from __future__ import annotations

import re

import pytest

from beancan.settings import get_settings
from beancan.site.placement import _place_head_links

ENDPOINTS = {
    "SITEURL": "https://blog.example",
    "BEANCAN_WEBMENTION_ENDPOINT": "https://hooks.example/webmention",
    "BEANCAN_PINGBACK_ENDPOINT": "https://hooks.example/xmlrpc",
}


def context() -> dict:
    settings = dict(ENDPOINTS)
    get_settings(settings)  # Pelican's context carries the run's settings
    return settings


@pytest.mark.parametrize(
    ("head", "added"),
    [
        ('<link rel="stylesheet" href="s.css">', ["webmention", "pingback"]),
        ('<link rel="webmention" href="w"><LINK REL=Pingback href=p>', []),
        ('<link href="w" rel="alternate webmention">', ["pingback"]),
        ('<link rel="webmention pingback" href="w">', ["webmention"]),
        ('<link title="webmention" rel="me">', ["webmention", "pingback"]),
    ],
    ids=["neither", "both", "second-word", "last-word-counts", "only-in-title"],
)
def test_a_head_gets_the_links_it_lacks(head: str, added: list[str]) -> None:
    html = f"<html><head>{head}</head><body></body></html>"
    placed = _place_head_links(html, context())
    assert re.findall(r'<link rel="(\w+)" href="https://hooks', placed) == added
