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
  second process can copy; a ``finalize`` or an ``undefined`` of a theme's
  own keeps the rendering in the build;
* and, checked in the build, one section rendered both ways is the same
  (``same_both_ways``), or every section is rendered in the build.

The post's URL (the reply form's target) is not known yet when the second
process starts: a marker stands for it, replaced in the build.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import msgspec
from markupsafe import Markup, escape

from ..site.placement import SECTION_TEMPLATE
from ..site.templates import TEMPLATES_DIR
from .view import CommentSection

__all__ = ["RenderOptions", "render_options", "render_sections", "same_both_ways", "with_url"]

#: The Jinja ``Environment`` arguments that shape the template's output.
_SHAPING = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix",
    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
    "keep_trailing_newline", "autoescape",
)  # fmt: skip
_OWN_TEMPLATE = TEMPLATES_DIR / SECTION_TEMPLATE


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render ``beancan/comments.html`` as the build would: plain values, picklable."""

    #: ``Environment`` keyword arguments copied from the build's environment.
    environment: tuple[tuple[str, Any], ...]
    #: the extensions' import names.
    extensions: tuple[str, ...]
    #: stands for the post's URL in the rendered HTML (random: no response can hold it).
    marker: str


class _Post:
    """What the template reads of a post: its section."""

    __slots__ = ("beancan",)

    def __init__(self, section: CommentSection) -> None:
        self.beancan = section


def render_options(env: jinja2.Environment) -> RenderOptions | None:
    """How the second process can render the section as ``env`` does; None if it cannot."""
    if env.finalize is not None or env.undefined is not jinja2.Undefined:
        return None
    if not all(isinstance(getattr(env, name), str | bool | None) for name in _SHAPING):
        return None  # an autoescape function: the build renders
    try:
        _source, filename, _uptodate = env.loader.get_source(env, SECTION_TEMPLATE)
    except jinja2.TemplateNotFound:
        return None
    if filename is None or Path(filename).resolve() != _OWN_TEMPLATE.resolve():
        return None  # a theme's own copy
    return RenderOptions(
        environment=tuple((name, getattr(env, name)) for name in _SHAPING),
        extensions=tuple(env.extensions),
        marker=f"beancan-post-url-{secrets.token_hex(8)}",
    )


def render_sections(
    sections: dict[str, CommentSection], options: RenderOptions
) -> dict[str, CommentSection]:
    """Each section with ``rendered`` filled in, the post's URL left as the marker."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        extensions=list(options.extensions),
        **dict(options.environment),
    )
    template = env.get_template(SECTION_TEMPLATE)
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
