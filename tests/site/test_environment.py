"""Beancan's pages render with the Jinja environment of Pelican's articles."""

from __future__ import annotations

import jinja2
import pytest
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from beancan.conversations.plugin import ConversationsGenerator
from beancan.peers.plugin import PeersGenerator
from tests.sitebuild import build_site


@pytest.fixture
def compiled(monkeypatch):
    """(environment, template name) of every template a build compiles."""
    found: list[tuple[jinja2.Environment, str]] = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, *args, **kwargs):
        found.append((self, name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return found


@pytest.fixture
def generators():
    """The generators of the build, once Pelican has made its context."""
    found = []

    def keep(made):
        found[:] = made

    signals.all_generators_finalized.connect(keep)
    yield found
    signals.all_generators_finalized.disconnect(keep)


def test_beancans_pages_compile_the_themes_base_template_no_more(tmp_path, compiled, generators):
    build = build_site(tmp_path / "output", BEANCAN_BACKGROUND=False)
    assert build.problems == []
    assert (build.output / "conversations" / "index.html").is_file()
    assert (build.output / "peers" / "index.html").is_file()
    by_kind = {type(g): g for g in generators}
    # Pelican's articles and pages each compile it (Pelican's own doing);
    # the person, conversation and peers pages, which extend it, do not again.
    base = [env for env, name in compiled if name == "base.html"]
    assert len(base) == 2
    assert by_kind[ArticlesGenerator].env in base and by_kind[PagesGenerator].env in base
    for kind in (ConversationsGenerator, PeersGenerator):
        assert by_kind[kind].env is by_kind[ArticlesGenerator].env
