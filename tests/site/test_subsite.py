"""A site built inside another on a copy of its settings, as i18n_subsites builds each language."""

from __future__ import annotations

import json

from pelican import Pelican
from pelican.settings import read_settings

from tests.sitebuild import ROOT

POST = "2026/03/re-the-wall-behind-the-counter/index.html"


def test_a_subsite_on_a_copy_of_the_settings_reads_its_own_siteurl(tmp_path):
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache")},
    )
    main = Pelican(settings)  # Pelican's initialized signal: Beancan reads its settings
    subsite = main.settings.copy()  # i18n_subsites: the main site's settings, then the language's
    siteurl = f"{settings['SITEURL']}/cz"
    subsite.update(
        SITEURL=siteurl,
        OUTPUT_PATH=str(tmp_path / "output" / "cz"),
        CACHE_PATH=str(tmp_path / "cache" / "cz"),
    )
    Pelican(subsite).run()

    page = (tmp_path / "output" / "cz" / POST).read_text(encoding="utf-8")
    assert f'name="target" value="{siteurl}/{POST.removesuffix("index.html")}"' in page
    lines = (tmp_path / "cache" / "cz" / "beancan-links.jsonl").read_text().splitlines()
    sources = [json.loads(line)["source"] for line in lines[1:]]
    assert sources and all(source.startswith(f"{siteurl}/") for source in sources), sources
