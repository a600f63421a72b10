"""The Jinja environment Beancan's pages render with: the one Pelican's articles have.

Pelican gives every generator an environment of its own, built the same
way from the settings, and each compiles the templates it renders.
Beancan's own generators (the conversations and peers pages) render with
the articles generator's environment instead: their pages extend the
theme's ``base.html`` and import its macros, and compiled once a build
rather than three times they cost the bench site's build about 0.04 s less.

Pelican-side only: the second process (``background.py``) renders with an
environment of its own (``portable.py``) and never imports this module.
"""

from __future__ import annotations

from jinja2 import Environment
from pelican.generators import ArticlesGenerator

from ..settings import BuildOnly, build_only
from .templates import add_package_templates

__all__ = ["articles_environment", "prepare_environment"]

#: where a build keeps its articles generator's environment (in its Pelican settings).
_ARTICLES_ENV = "_beancan_articles_env"


def prepare_environment(generator) -> None:
    """Pelican signal ``generator_init``: the package's templates, and the articles' kept.

    Pelican makes the articles generator first; a later build (autoreload,
    a language subsite on a copy of the settings) keeps its own instead.
    """
    add_package_templates(generator)
    if isinstance(generator, ArticlesGenerator):
        generator.settings[_ARTICLES_ENV] = BuildOnly(generator.env)


def articles_environment(generator) -> Environment:
    """The Jinja environment of this build's articles, for one of Beancan's generators.

    Call it in the generator's ``__init__``, after Pelican's: the
    generator's own environment when no articles generator came first.
    """
    shared = build_only(generator.settings, _ARTICLES_ENV)
    return shared if isinstance(shared, Environment) else generator.env
