"""A small migrated blog: its content, an empty data folder and a settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sitebuild import ROOT

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
WXR = FIXTURES / "maple-street.wxr.xml"
DISQUS = FIXTURES / "maple-street.disqus.xml"

# The demo's settings (theme, URLs, plugins), pointed at this folder's
# content and at a data folder of the test's own; the old WordPress domain
# is an alias, as the README's "Moving from WordPress" says to set it.
SETTINGS = """\
import pathlib
exec(compile(pathlib.Path({demo!r}).read_text(encoding="utf-8"), {demo!r}, "exec"))
PATH = {content!r}
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
PLUGINS = ["beancan.site", "beancan.comments"]
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = []
STATIC_PATHS = []
MENUITEMS = ()
SITEURL = "https://ingrid.example"
FEED_DOMAIN = SITEURL
BEANCAN_DATA_DIR = {data!r}
BEANCAN_SITE_ALIASES = ["http://oldblog.example"]
BEANCAN_AUTHOR = {{"name": "Ingrid Vale", "url": "https://ingrid.example/"}}
BEANCAN_REL_ME = []
BEANCAN_PEERS = []
BEANCAN_PERSON_ALIASES = {{}}
BEANCAN_BACKGROUND = False
"""


@dataclass
class Site:
    root: Path
    settings: Path
    data: Path

    @property
    def store(self) -> Path:
        return self.data / "interactions.jsonl"

    def data_bytes(self) -> dict[str, bytes]:
        """Every file under data/, by relative path: to show what an import changed."""
        return {
            str(p.relative_to(self.data)): p.read_bytes()
            for p in sorted(self.data.rglob("*"))
            if p.is_file()
        }


@pytest.fixture
def site(tmp_path: Path) -> Site:
    data = tmp_path / "data"
    data.mkdir()
    settings = tmp_path / "siteconf.py"
    settings.write_text(
        SETTINGS.format(
            demo=str(ROOT / "pelicanconf.py"),
            content=str(HERE / "site"),
            theme=str(ROOT / "theme"),
            plugins=str(ROOT / "plugins"),
            data=str(data),
        ),
        encoding="utf-8",
    )
    return Site(tmp_path, settings, data)
