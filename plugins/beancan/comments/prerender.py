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

import secrets
from dataclasses import dataclass

import jinja2
import msgspec
from markupsafe import Markup, escape

from ..site.placement import SECTION_TEMPLATE
from ..site.portable import PortableTemplates, portable
from .view import CommentSection

__all__ = ["RenderOptions", "render_options", "render_sections", "same_both_ways", "with_url"]


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render ``beancan/comments.html`` as the build would: plain values, picklable."""

    templates: PortableTemplates
    #: stands for the post's URL in the rendered HTML (random: no response can hold it).
    marker: str


class _Post:
    """What the template reads of a post: its section."""

    __slots__ = ("beancan",)

    def __init__(self, section: CommentSection) -> None:
        self.beancan = section


def render_options(env: jinja2.Environment) -> RenderOptions | None:
    """How the second process can render the section as ``env`` does; None if it cannot."""
    templates = portable(env, (SECTION_TEMPLATE,))
    if templates is None:
        return None
    return RenderOptions(templates, marker=f"beancan-post-url-{secrets.token_hex(8)}")


def render_sections(
    sections: dict[str, CommentSection], options: RenderOptions
) -> dict[str, CommentSection]:
    """Each section with ``rendered`` filled in, the post's URL left as the marker."""
    template = options.templates.environment().get_template(SECTION_TEMPLATE)
    rendered = {}
    for key, section in sections.items():
        html = template.render(
            article=_Post(msgspec.structs.replace(section, post_url=options.marker))
        )
        rendered[key] = msgspec.structs.replace(section, rendered=html)
    return rendered


def with_url(section: CommentSection, url: str, marker: str) -> CommentSection:
    """``section`` for the post at ``url``: the marker in its rendered HTML replaced."""
    if not section.rendered:
        return msgspec.structs.replace(section, post_url=url)
    html = Markup(section.rendered.replace(marker, str(escape(url))))
    return msgspec.structs.replace(section, post_url=url, rendered=html)


def same_both_ways(env: jinja2.Environment, section: CommentSection) -> bool:
    """Whether ``env`` prints ``section`` rendered ahead as it renders it itself."""
    template = env.get_template(SECTION_TEMPLATE)
    # generate, not render: the build's template class places sections on render.
    ahead = "".join(template.generate(article=_Post(section)))
    here = "".join(template.generate(article=_Post(msgspec.structs.replace(section, rendered=""))))
    return ahead == here
