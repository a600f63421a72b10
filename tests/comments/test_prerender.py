"""Comment sections rendered ahead (in the second process) print as the build renders them."""

from __future__ import annotations

import itertools
import logging
import pickle
import shutil
from pathlib import Path
from types import SimpleNamespace

import jinja2
import msgspec
import pytest

from beancan.comments.plugin import RENDERED_AHEAD, _check_rendered_ahead
from beancan.comments.prerender import (
    RenderedAhead,
    render_options,
    same_both_ways,
    with_url,
)
from beancan.comments.sections import SectionOptions, store_sections
from beancan.comments.view import CommentSection
from beancan.settings import BeancanSettings, load_settings_file
from beancan.site.templates import TEMPLATES_DIR
from tests.sitebuild import ROOT, build_site, tree_differences

#: A post URL with what autoescape changes: the marker must be replaced escaped.
URL = 'https://tamsin.example/2026/03/a-post/?x=1&y="two"'


def environment(*folders: Path, **options) -> jinja2.Environment:
    """An environment like a Pelican generator's: the theme's folders, then the package's."""
    loaders = [jinja2.FileSystemLoader(str(f)) for f in folders]
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    options = {"trim_blocks": True, "lstrip_blocks": True} | options  # Pelican's defaults
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), **options)


def demo_sections(env: jinja2.Environment) -> list:
    """The demo store's sections rendered ahead for ``env``, with a post URL put in."""
    options = render_options(env)
    assert options is not None
    settings = BeancanSettings.from_pelican(load_settings_file(ROOT / "pelicanconf.py"))
    prepared = store_sections(SectionOptions.of(settings, "%Y-%m-%d", options))
    assert prepared.marker == options.marker
    # The section of a post without responses is rendered ahead too: the last one.
    assert prepared.empty.rendered and not prepared.empty.total
    found = [*prepared.sections.values(), prepared.empty]
    return [with_url(s, URL, prepared.marker) for s in found]


def test_the_packages_template_in_a_themes_environment_is_rendered_ahead() -> None:
    options = render_options(environment(ROOT / "theme" / "templates"))
    assert options is not None
    assert options.templates.options["trim_blocks"] is True
    assert options.templates.extensions == ()


@pytest.mark.parametrize(
    "options",
    [{"finalize": str}, {"undefined": jinja2.StrictUndefined},
     {"autoescape": jinja2.select_autoescape()}],
    ids=["finalize", "undefined", "autoescape-function"],
)  # fmt: skip
def test_an_environment_the_second_process_cannot_copy_renders_in_the_build(options) -> None:
    assert render_options(environment(**options)) is None


def test_a_themes_copy_of_the_template_renders_in_the_build(tmp_path: Path) -> None:
    (tmp_path / "beancan").mkdir()
    shutil.copy(TEMPLATES_DIR / "beancan" / "comments.html", tmp_path / "beancan")
    assert render_options(environment(tmp_path)) is None


@pytest.mark.parametrize(
    ("trim", "lstrip", "keep_newline", "autoescape"),
    list(itertools.product([True, False], repeat=4)),
)
def test_where_one_section_prints_the_same_both_ways_every_section_does(
    trim: bool, lstrip: bool, keep_newline: bool, autoescape: bool
) -> None:
    env = environment(
        trim_blocks=trim, lstrip_blocks=lstrip, keep_trailing_newline=keep_newline,
        autoescape=autoescape,
    )  # fmt: skip
    sections = demo_sections(env)
    assert len(sections) >= 8
    if same_both_ways(env, sections[0]):
        assert all(same_both_ways(env, s) for s in sections)
    # Pelican's own options (any autoescape) take the quick way.
    if (trim, lstrip, keep_newline) == (True, True, False):
        assert same_both_ways(env, sections[0])


def test_the_post_url_is_put_in_escaped_as_the_build_would() -> None:
    env = environment()
    section = next(s for s in demo_sections(env) if s.webmention_endpoint)
    assert 'value="https://tamsin.example/2026/03/a-post/?x=1&amp;y=&#34;two&#34;"' in (
        section.rendered
    )
    assert same_both_ways(env, section)


def test_sections_that_differ_from_the_builds_are_all_rendered_in_the_build() -> None:
    env = environment()
    posts = [SimpleNamespace(beancan=s) for s in demo_sections(env)]
    differing = msgspec.structs.replace(posts[0].beancan.section(), rendered="<p>not this</p>")
    posts[0].beancan = RenderedAhead.of(differing)

    _check_rendered_ahead(env, posts)

    assert [p.beancan.rendered for p in posts] == [""] * len(posts)


def test_a_section_rendered_ahead_reads_as_its_records() -> None:
    """A theme's own templates may read any field: the records come back when read."""
    sections = demo_sections(environment())
    assert all(isinstance(s, RenderedAhead) for s in sections)
    for section in sections:
        crossed = pickle.loads(pickle.dumps(section))
        whole = crossed.section()
        assert isinstance(whole, CommentSection)
        assert (whole.post_url, whole.rendered) == (URL, section.rendered)
        for name in CommentSection.__struct_fields__:
            assert getattr(crossed, name) == getattr(whole, name) == getattr(section, name)
    assert any(s.replies for s in sections) and any(s.facepiles for s in sections)
    with pytest.raises(AttributeError):
        sections[0].no_such_field  # noqa: B018


def test_a_themes_templates_read_the_same_records_either_way(tmp_path: Path) -> None:
    """The theme's article_extra partial prints fields of article.beancan."""
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "partials" / "article_extra.html").write_text(
        '<p class="probe">{{ article.beancan.total }} {{ article.beancan.replies|length }} '
        '{{ article.beancan.counts|map(attribute="label")|join(",") }} '
        "{{ article.beancan.post_url }}</p>",
        encoding="utf-8",
    )
    theme = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    beside = build_site(tmp_path / "beside", BEANCAN_BACKGROUND_MIN_STORE=0, **theme)
    here = build_site(tmp_path / "here", BEANCAN_BACKGROUND=False, **theme)
    assert beside.problems == here.problems == []
    assert tree_differences(beside.output, here.output) == []
    probes = [p.read_text(encoding="utf-8") for p in beside.output.rglob("index.html")]
    printed = [t for t in probes if '<p class="probe">' in t and "replies" in t]
    assert printed, "no post with replies printed its counts"


def test_the_demo_is_the_same_with_sections_rendered_ahead_or_in_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An identical copy of the template in the theme's overrides renders in the build."""
    overrides = tmp_path / "overrides"
    (overrides / "beancan").mkdir(parents=True)
    shutil.copy(TEMPLATES_DIR / "beancan" / "comments.html", overrides / "beancan")
    caplog.set_level(logging.DEBUG, logger="beancan.comments")

    ahead = build_site(tmp_path / "ahead")
    told = [r.getMessage() for r in caplog.records if "rendered ahead" in r.getMessage()]
    caplog.clear()
    here = build_site(tmp_path / "here", THEME_TEMPLATES_OVERRIDES=[str(overrides)])

    assert ahead.problems == here.problems == []
    assert told == [RENDERED_AHEAD]
    assert not [r for r in caplog.records if "rendered ahead" in r.getMessage()]
    assert tree_differences(ahead.output, here.output) == []
