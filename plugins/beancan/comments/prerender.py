"""Comment sections rendered ahead, beside the build, when the template is the package's own.

Rendering ``beancan/comments.html`` under 2,000 posts costs Pelican's process
about a quarter of a second. The sections the store alone gives are built
in the second process (``sections.py``), so they can be rendered there too,
and the template then prints the ready HTML (its first lines: "rendered
ahead? print it"). That is only right when the second process renders the
template exactly as the build's Jinja environment would:

* the file is the package's own: a theme's copy always wins, and is
  rendered in the build as before;
* the environment's options that shape output (delimiters, ``trim_blocks``,
  ``lstrip_blocks``, newlines, autoescape, extensions) are plain values the
  second process can copy (``site/portable.py``, as for the conversations
  pages); a ``finalize`` or an ``undefined`` of a theme's own keeps the
  rendering in the build;
* and, checked in the build, one section rendered both ways is the same
  (``same_both_ways``), or every section is rendered in the build.

The post's URL (the reply form's target) is not known yet when the second
process starts: a marker stands for it, replaced in the build.
"""

from __future__ import annotations

import pickle
import secrets
from dataclasses import dataclass

import jinja2
import msgspec
from markupsafe import Markup, escape

from ..site.placement import SECTION_TEMPLATE
from ..site.portable import PortableTemplates, portable
from .view import CommentSection

__all__ = [
    "RenderOptions", "RenderedAhead", "Section", "render_options", "render_sections",
    "rendered_here", "same_both_ways", "with_url",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render ``beancan/comments.html`` as the build would: plain values, picklable."""

    templates: PortableTemplates
    #: stands for the post's URL in the rendered HTML (random: no response can hold it).
    marker: str


class _Post:
    """What the template reads of a post: its section."""

    __slots__ = ("beancan",)

    def __init__(self, section: CommentSection | RenderedAhead) -> None:
        self.beancan = section


def render_options(env: jinja2.Environment) -> RenderOptions | None:
    """How the second process can render the section as ``env`` does; None if it cannot."""
    templates = portable(env, (SECTION_TEMPLATE,))
    if templates is None:
        return None
    return RenderOptions(templates, marker=f"beancan-post-url-{secrets.token_hex(8)}")


class RenderedAhead:
    """A comment section rendered ahead: its HTML, and its records when someone reads them.

    It reads as the ``CommentSection`` it was made from (``.replies``,
    ``.counts`` ... for a theme's own templates), but the records cross from
    the second process as one pickle each, unpickled on first use: the
    package's ``beancan/comments.html`` prints ``rendered`` only, so the
    build never makes the 25,000 objects of the bench site's 2,000 sections,
    which every garbage collection of the build would otherwise scan.
    """

    __slots__ = ("_records", "_section", "post_url", "rendered")

    def __init__(self, rendered: str, post_url: str, records: bytes) -> None:
        self.rendered = rendered
        self.post_url = post_url
        self._records = records
        self._section: CommentSection | None = None

    @classmethod
    def of(cls, section: CommentSection) -> RenderedAhead:
        records = pickle.dumps(
            msgspec.structs.replace(section, rendered=""), pickle.HIGHEST_PROTOCOL
        )
        return cls(section.rendered, section.post_url, records)

    def section(self) -> CommentSection:
        """The whole record, rendered HTML included."""
        if self._section is None:
            self._section = msgspec.structs.replace(
                pickle.loads(self._records), post_url=self.post_url, rendered=self.rendered
            )
        return self._section

    def with_url(self, url: str, marker: str) -> RenderedAhead:
        """The section for the post at ``url``: the marker in its HTML replaced."""
        return RenderedAhead(Markup(self.rendered.replace(marker, str(escape(url)))), url,
                             self._records)  # fmt: skip

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.section(), name)

    def __reduce__(self):
        return (RenderedAhead, (self.rendered, self.post_url, self._records))


Section = CommentSection | RenderedAhead


def render_sections(
    sections: dict[str, CommentSection], options: RenderOptions
) -> dict[str, RenderedAhead]:
    """Each section rendered, the post's URL left as the marker."""
    template = options.templates.environment().get_template(SECTION_TEMPLATE)
    rendered = {}
    for key, section in sections.items():
        html = template.render(
            article=_Post(msgspec.structs.replace(section, post_url=options.marker))
        )
        rendered[key] = RenderedAhead.of(msgspec.structs.replace(section, rendered=html))
    return rendered


def with_url(section: Section, url: str, marker: str) -> Section:
    """``section`` for the post at ``url``: the marker in its rendered HTML replaced."""
    if isinstance(section, RenderedAhead):
        return section.with_url(url, marker)
    return msgspec.structs.replace(section, post_url=url)


def rendered_here(section: Section) -> CommentSection:
    """``section`` to be rendered by the build: its records, without HTML."""
    whole = section.section() if isinstance(section, RenderedAhead) else section
    return msgspec.structs.replace(whole, rendered="")


def same_both_ways(env: jinja2.Environment, section: RenderedAhead) -> bool:
    """Whether ``env`` prints ``section`` rendered ahead as it renders it itself."""
    template = env.get_template(SECTION_TEMPLATE)
    # generate, not render: the build's template class places sections on render.
    ahead = "".join(template.generate(article=_Post(section)))
    here = "".join(template.generate(article=_Post(rendered_here(section))))
    return ahead == here
