"""The person and conversation pages written by the job beside the build, and checked.

The job (``compute``) fills each page's frame, rendered once when every
generator has made its context, and writes the files; the build renders two
pages of each kind itself and rewrites every page when one differs, or when
the job died on the way.
"""

from __future__ import annotations

import logging
import os

import pytest
from pelican import signals

from tests.sitebuild import ROOT, build_site, tree_differences

TEMPLATES = ROOT / "plugins" / "beancan" / "templates"
FRAMES = ("beancan/person.html", "beancan/conversation.html")
PERSON = "conversations/rafe-example/index.html"


def _stamped_frames(folder, stamp="{{ STAMP }}"):
    """Copies of both frames that print ``stamp`` (the setting STAMP) in their content."""
    for name in FRAMES:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert text.count("{% endblock %}") >= 1
        stamped = text.replace(
            "{% block content %}", f'{{% block content %}}<p class="stamp">{stamp}</p>', 1
        )
        assert stamped != text, f"{name} has no content block"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(stamped, encoding="utf-8")
    return str(folder)


def _pages(build):
    people = list(build.output.glob("conversations/*-example/index.html"))
    talks = list(build.output.glob("conversations/c/*/index.html"))
    assert len(people) > 1 and len(talks) > 1
    return people + talks


@pytest.mark.parametrize("beside", [True, False], ids=["beside", "in-build"])
def test_a_frame_whose_context_changes_after_its_shell_still_gives_every_page_right(
    tmp_path, caplog, beside
):
    """STAMP is "early" when the frames' shells are rendered, "late" when pages are written."""
    overrides = {
        "THEME_TEMPLATES_OVERRIDES": [_stamped_frames(tmp_path / "theme")],
        "BEANCAN_BACKGROUND": beside,
        "BEANCAN_BACKGROUND_MIN_STORE": 0,
    }
    reference = build_site(tmp_path / "reference" / "output", STAMP="late", **overrides)

    def later(generator, writer):  # the articles generator writes before ours
        generator.context["STAMP"] = "late"

    changed = _built_while(later, caplog, tmp_path / "changed" / "output", STAMP="early",
                           **overrides)  # fmt: skip
    assert "person_page written beside the build differ" in caplog.text
    assert "conversation_page written beside the build differ" in caplog.text
    assert changed.problems == reference.problems == []
    for path in _pages(changed):
        text = path.read_text(encoding="utf-8")
        assert '<p class="stamp">late</p>' in text, path
        assert "early" not in text, path
    assert tree_differences(reference.output, changed.output) == []


def test_a_frame_that_cannot_render_before_the_output_is_written_in_the_build(tmp_path, caplog):
    """Like a theme calling gettext, which i18n_subsites installs after the context is made."""
    overrides = {
        "THEME_TEMPLATES_OVERRIDES": [_stamped_frames(tmp_path / "theme", "{{ STAMP() }}")]
    }
    reference = build_site(tmp_path / "reference" / "output", STAMP=lambda: "late", **overrides)

    def later(generator, writer):
        generator.context["STAMP"] = lambda: "late"

    changed = _built_while(later, caplog, tmp_path / "changed" / "output",
                           BEANCAN_BACKGROUND_MIN_STORE=0, **overrides)  # fmt: skip
    assert "person_page frame not ready" in caplog.text
    assert "conversation_page frame not ready" in caplog.text
    assert changed.problems == reference.problems == []
    for path in _pages(changed):
        assert '<p class="stamp">late</p>' in path.read_text(encoding="utf-8"), path
    assert tree_differences(reference.output, changed.output) == []


def test_a_job_that_dies_half_way_through_the_pages_leaves_a_correct_site(
    demo_build, tmp_path, monkeypatch, caplog
):
    import beancan.conversations.plugin as plugin
    from tests import background_jobs

    monkeypatch.setattr(plugin, "compute", background_jobs.compute_then_die)
    monkeypatch.setenv("BEANCAN_TEST_CALLER", str(os.getpid()))
    caplog.set_level(logging.DEBUG, logger="beancan.background")
    died = build_site(tmp_path / "died" / "output", BEANCAN_BACKGROUND_MIN_STORE=0)
    assert "compute_then_die runs in a second process" in caplog.text
    assert died.problems == [
        "WARNING beancan.background: Beancan: the second process stopped (exit status 3); "
        "doing its work in the build"
    ]
    assert tree_differences(demo_build.output, died.output) == []


def test_the_job_writes_the_pages_and_hands_back_the_two_checked(tmp_path, monkeypatch):
    """Beside the build the pages' files come from the job; of their records only the
    first and last of each kind cross back (the build checks those), without bodies."""
    import beancan.conversations.plugin as plugin

    seen = []
    original = plugin.ConversationsGenerator._write

    def spy(self, writer, computed, settings, per_page):
        seen.append(computed)
        return original(self, writer, computed, settings, per_page)

    monkeypatch.setattr(plugin.ConversationsGenerator, "_write", spy)
    build = build_site(tmp_path / "output", BEANCAN_BACKGROUND_MIN_STORE=0)
    assert build.problems == []
    [computed] = seen
    for name, pages in (
        ("person_page", computed.view.people),
        ("conversation_page", computed.view.pages),
    ):
        written = computed.written[name]
        assert len(pages) == 2 and len(written) > 2
        assert [written[0], written[-1]] == [str(build.output / page.save_as) for page in pages]
        assert all(not page.body for page in pages)
    assert 'class="h-card' in build.page(PERSON)


def _built_while(later, caplog, output, **settings):
    """A build during which ``later`` changes the context once the articles are written."""
    signals.article_writer_finalized.connect(later)
    caplog.set_level(logging.DEBUG, logger="beancan.conversations.plugin")
    try:
        return build_site(output, **settings)
    finally:
        signals.article_writer_finalized.disconnect(later)
