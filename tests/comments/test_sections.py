"""The store's half of the comment sections, as it crosses from the second process."""

from __future__ import annotations

import pickle

from beancan.comments.sections import SectionOptions, store_sections
from beancan.settings import BeancanSettings, load_settings_file
from tests.sitebuild import ROOT


def test_sections_survive_the_trip_between_processes():
    settings = BeancanSettings.from_pelican(load_settings_file(ROOT / "pelicanconf.py"))
    here = store_sections(SectionOptions.of(settings, "%Y-%m-%d"))
    assert len(here.sections) >= 8  # the demo posts with responses
    there = pickle.loads(pickle.dumps(here, protocol=pickle.HIGHEST_PROTOCOL))
    assert all(isinstance(data, bytes) for data in there.responses.values())
    assert there.sections == here.sections
    assert there.index == here.index
    assert there.avatars.files == here.avatars.files
    assert (there.empty, there.marker) == (here.empty, here.marker)
    for key in here.responses:
        assert there.responses_of(key) == here.responses_of(key)
    # What a caller adds to one post's list stays in that list.
    key = next(iter(here.responses))
    there.responses_of(key).append("ours")
    assert there.responses_of(key)[-1] == "ours"
    assert "ours" not in here.responses[key]
