"""Person pages from one template render: the same bytes as Jinja, or Jinja itself."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from jinja2 import Environment
from markupsafe import Markup

from beancan.conversations.shell import NotPlain, PageShell, render_pages


@dataclass
class Page:
    name: str
    slug: str
    count: int
    body: Markup


PAGES = [
    Page("Ann <b>&", "ann", 3, Markup("<li>one</li>")),
    Page('Bo "Q"', "bo", 0, Markup("")),
    Page("Cy's", "cy", 12, Markup("<li>a &amp; b</li>")),
]
PLAIN = (
    '{% set p = page %}<title>{{ p.name }} — Site</title><link href="/{{ output_file }}">'
    '<h1 title="{{ p.name }}">{{ p.name }}</h1><p>{{ p.count }} of them</p><ol>{{ p.body }}</ol>'
)


def renderer(source: str):
    template = Environment(autoescape=True).from_string(source)
    return lambda page, output_file: template.render(page=page, output_file=output_file)


def test_a_plain_template_gives_the_same_bytes_as_jinja_for_every_page():
    render = renderer(PLAIN)
    shell = PageShell(render, "page", "people/{slot}/index.html")
    for page in PAGES:
        expected = render(page, f"people/{page.slug}/index.html")
        assert shell.fill(page, page.slug) == expected
    assert "Ann &lt;b&gt;&amp;" in shell.fill(PAGES[0], "ann")


@pytest.mark.parametrize(
    "source",
    [
        "{% if page.count %}some{% endif %}",
        "{% for x in page.body %}{{ x }}{% endfor %}",
        "{{ page.name|upper }}",
        "{{ page.name ~ '!' }}",
        "{{ page.count + 1 }}",
    ],
)
def test_anything_but_printing_a_value_is_refused(source):
    with pytest.raises(NotPlain):
        PageShell(renderer(source), "page", "people/{slot}/index.html")


def test_render_pages_falls_back_to_jinja_when_the_template_is_not_plain():
    source = "{% if page.count %}{{ page.count }} responses{% else %}none yet{% endif %}"
    render = renderer(source)
    pages = list(
        render_pages(PAGES, render, name="page", save_as="p/{slot}/", slot_of=lambda p: p.slug)
    )
    assert [html for _, html in pages] == ["3 responses", "none yet", "12 responses"]


def test_render_pages_uses_the_shell_for_a_plain_template():
    calls = []

    def render(page, output_file):
        calls.append(output_file)
        return renderer(PLAIN)(page, output_file)

    pages = list(
        render_pages(PAGES, render, name="page", save_as="p/{slot}/", slot_of=lambda p: p.slug)
    )
    # One shell render, then the first and last pages to check it against.
    assert len(calls) == 3
    assert [html for _, html in pages] == [render(p, f"p/{p.slug}/") for p in PAGES]


def test_a_page_is_written_only_when_its_bytes_change(tmp_path):
    """A rebuild leaves the files of unchanged pages, and their times, alone."""
    import os

    from beancan.conversations.shell import write_page

    page = tmp_path / "index.html"
    write_page(str(page), "<p>Tamsin — 2 replies</p>\n")
    assert page.read_bytes() == "<p>Tamsin — 2 replies</p>\n".encode()
    os.utime(page, (1_000_000, 1_000_000))

    write_page(str(page), "<p>Tamsin — 2 replies</p>\n")
    assert page.stat().st_mtime == 1_000_000

    for changed in ("<p>Tamsin — 3 replies</p>\n", "<p>Tamsin — 3 replies</p>"):
        write_page(str(page), changed)  # other bytes; then the same bytes, shorter
        assert page.read_text(encoding="utf-8") == changed
        assert page.stat().st_mtime != 1_000_000
