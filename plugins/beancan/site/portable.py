"""Beancan's own templates rendered outside Pelican's process, byte for byte as Pelican would.

The second process (``background.py``) has no Pelican, so no Jinja
environment of Pelican's. The package's own page contents need none: they
print values of plain records with Jinja's built-in filters. So when every
template a job renders is the package's own file (no theme has a copy of the
same name) and the options of Pelican's environment that shape the output
(``trim_blocks``, ``lstrip_blocks``, ... from ``JINJA_ENVIRONMENT``) can be
copied, ``portable`` describes them in a picklable record, and the job
renders with a plain environment built from it. Otherwise (a theme's own
copy, a ``finalize`` hook, another ``undefined``) it answers None and the
build renders them itself, as before.

The caller still renders one page both ways and keeps the job's pages only
when they agree: a template can reach for something only Pelican's
environment has (a filter of the theme's, a value of the site's context).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateNotFound, Undefined

from .templates import TEMPLATES_DIR

__all__ = ["PortableTemplates", "portable"]

#: The options of a Jinja environment that change what a template writes.
_SHAPING = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline",
)  # fmt: skip


@dataclass(frozen=True)
class PortableTemplates:
    """How to render the package's templates as Pelican's environment would."""

    options: dict[str, Any]
    #: dotted names of the environment's extensions.
    extensions: tuple[str, ...] = ()
    folder: str = str(TEMPLATES_DIR)

    def environment(self) -> Environment:
        """A Jinja environment on the package's folder alone, with the copied options."""
        return Environment(
            loader=FileSystemLoader(self.folder), extensions=list(self.extensions), **self.options
        )


def portable(env: Environment, names: tuple[str, ...]) -> PortableTemplates | None:
    """The record to render ``names`` (and what they import) outside Pelican, or None.

    ``names`` must list every template the job renders or imports.
    """
    if env.finalize is not None or env.undefined is not Undefined:
        return None
    if env.loader is None or not isinstance(env.autoescape, bool):
        return None  # a function choosing by name: it may not survive a pickle
    for name in names:
        try:
            # Where the loader finds it, without compiling it here.
            filename = env.loader.get_source(env, name)[1]
        except TemplateNotFound:
            return None
        if not filename or Path(filename).resolve() != TEMPLATES_DIR / name:
            return None  # a theme's own copy (or a template elsewhere): the build renders it
    options = {name: getattr(env, name) for name in _SHAPING}
    options["autoescape"] = env.autoescape
    return PortableTemplates(options, tuple(sorted(env.extensions)))
