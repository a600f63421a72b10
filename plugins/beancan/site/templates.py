"""Beancan's own templates on Pelican's Jinja search path, after the theme's.

The package ships ``templates/beancan/*.html`` (the comment section, the
conversations, conversation, person and peers pages). A theme overrides one
by having a file of the same name, so the package's folder must come *after*
the theme's. ``THEME_TEMPLATES_OVERRIDES`` cannot do that: Pelican 4.12
(``Generator.__init__``) searches those folders *before* the theme's. So at
``generator_init`` the generator's loader becomes a ``ChoiceLoader`` of
Pelican's own loader (overrides, theme, the ``simple`` theme it inherits
from) followed by the package's folder.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader

from ..settings import get_settings
from .placement import SETTINGS_ATTRIBUTE, placing_template_class

__all__ = ["TEMPLATES_DIR", "add_package_templates"]

#: The folder holding ``beancan/comments.html`` and the page templates.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def add_package_templates(generator) -> None:
    """Give one Pelican generator the package's templates and the placing of sections."""
    env = generator.env
    if getattr(env, "_beancan_templates", False):
        return  # connected twice, or another generator shares this environment
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))])
    env.template_class = placing_template_class(env.template_class)
    # What placing reads on every page: this build's settings, not each page's context's.
    setattr(env, SETTINGS_ATTRIBUTE, get_settings(generator.settings))
    env._beancan_templates = True
