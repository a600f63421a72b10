"""The package's templates rendered outside Pelican give Pelican's bytes, or are not used."""

from __future__ import annotations

import logging
from dataclasses import replace

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from beancan.site.portable import PortableTemplates, portable
from beancan.site.templates import TEMPLATES_DIR
from tests.sitebuild import build_site, tree_differences

NAMES = ("beancan/partials/person.html", "beancan/partials/conversation.html")


def _pelican_like(theme=None, **options) -> Environment:
    """A loader like Pelican's after ``add_package_templates``: the theme, then the package."""
    loaders = [FileSystemLoader(str(theme))] if theme else []
    return Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(TEMPLATES_DIR))]), **options
    )


def test_the_package_templates_are_portable_with_the_options_that_shape_output():
    found = portable(_pelican_like(trim_blocks=True, keep_trailing_newline=True), NAMES)
    assert found is not None
    assert found.options["trim_blocks"] is True
    assert found.options["keep_trailing_newline"] is True
    assert found.options["lstrip_blocks"] is False


def test_a_theme_copy_of_one_template_is_rendered_by_the_build(tmp_path):
    copy = tmp_path / "beancan" / "partials" / "person.html"
    copy.parent.mkdir(parents=True)
    copy.write_text("theirs", encoding="utf-8")
    assert portable(_pelican_like(tmp_path), NAMES) is None
    # Only the names asked about count.
    assert portable(_pelican_like(tmp_path), NAMES[1:]) is not None


def test_an_environment_that_cannot_be_copied_is_refused():
    assert portable(_pelican_like(finalize=lambda value: value), NAMES) is None
    assert portable(_pelican_like(autoescape=select_autoescape()), NAMES) is None
    assert portable(_pelican_like(), ("beancan/no-such.html",)) is None


def test_pages_rendered_beside_the_build_equal_those_rendered_in_it(tmp_path):
    """Unusual Jinja options, the contents rendered in the second process and in the build."""
    options = {"JINJA_ENVIRONMENT": {"trim_blocks": False, "lstrip_blocks": False}}
    beside = build_site(tmp_path / "beside", BEANCAN_BACKGROUND_MIN_STORE=0, **options)
    here = build_site(tmp_path / "here", BEANCAN_BACKGROUND=False, **options)
    assert beside.problems == here.problems == []
    assert tree_differences(beside.output, here.output) == []


def test_contents_that_differ_from_pelicans_are_rendered_again_in_the_build(
    tmp_path, monkeypatch, caplog
):
    """A portable environment that would write other bytes is caught by the one-page check."""
    import beancan.conversations.plugin as plugin

    def wrong(env, names):
        found = portable(env, names)
        return replace(found, options={**found.options, "trim_blocks": not env.trim_blocks})

    normal = build_site(tmp_path / "normal", BEANCAN_BACKGROUND=False)
    monkeypatch.setattr(plugin, "portable", wrong)
    caplog.set_level(logging.DEBUG, logger="beancan.conversations.plugin")
    checked = build_site(tmp_path / "checked", BEANCAN_BACKGROUND=False)
    # The job wrote the pages; the build's check of two of them sees the difference.
    assert "person_page written beside the build differ" in caplog.text
    assert "conversation_page written beside the build differ" in caplog.text
    assert tree_differences(normal.output, checked.output) == []


def test_the_record_survives_a_pickle():
    import pickle

    found = portable(_pelican_like(trim_blocks=True), NAMES)
    assert pickle.loads(pickle.dumps(found)) == found
    assert isinstance(found, PortableTemplates)
