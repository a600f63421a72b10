"""Issue 13: a theme changes Beancan's markup by overriding a template, not by editing Python.

Copies of the templates that write the comment section, a conversation's
steps, the relationships table and a person page's content, each with one
class renamed, go in ``THEME_TEMPLATES_OVERRIDES``; the built pages carry the
new class and not the old one.
"""

from __future__ import annotations

import re

import pytest

from tests.sitebuild import ROOT, build_site

TEMPLATES = ROOT / "plugins" / "beancan" / "templates"
#: template → (class in this theme, the override's class), each written once per item.
RENAMED = {
    "beancan/comments.html": ("comment-content", "reply-body"),
    "beancan/partials/conversation.html": ("bc-step-meta", "step-facts"),
    "beancan/conversations.html": ("bc-row", "tie"),
    "beancan/partials/person.html": ("bc-dir", "arrow"),
}
POST = "2026/03/the-smile-is-free/index.html"
PAGES = {
    "beancan/comments.html": POST,
    "beancan/partials/conversation.html": "conversations/index.html",
    "beancan/conversations.html": "conversations/index.html",
    "beancan/partials/person.html": "conversations/rafe-example/index.html",
}


@pytest.fixture(scope="module")
def overridden(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overrides")
    for name, (old, new) in RENAMED.items():
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"{name} no longer writes {old}"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    return build_site(
        tmp_path_factory.mktemp("overridden") / "output",
        THEME_TEMPLATES_OVERRIDES=[str(folder)],
    )


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_an_overriding_template_changes_the_class_on_the_page(overridden, name):
    old, new = RENAMED[name]
    page = overridden.page(PAGES[name])
    assert re.search(rf'class="(?:[^"]* )?{new}\b', page)
    assert not re.search(rf'class="(?:[^"]* )?{old}\b', page)


def test_every_person_page_gets_the_overriding_content(overridden):
    pages = list(overridden.output.glob("conversations/*-example/index.html"))
    assert len(pages) > 1
    for path in pages:
        assert 'class="arrow"' in path.read_text(encoding="utf-8"), path


def test_the_overridden_build_logs_no_warnings(overridden):
    assert overridden.problems == []
