"""Every feature plugin of Beancan, for ``PLUGINS = ["beancan"]``.

A feature plugin is a subpackage with a ``plugin.py`` beside its
``__init__.py`` (``beancan.comments``, ``beancan.conversations`` ...); a new
one is found without a list to keep up to date. ``beancan.site`` (settings,
templates, placing the comment section in any theme) comes first.

Listing ``beancan`` and a feature (``beancan.comments``) both registers
nothing twice: Pelican's signals (blinker) keep one connection per receiver
function, and every ``register()`` only connects module-level functions.
"""

from __future__ import annotations

import importlib
from pathlib import Path

__all__ = ["feature_names", "register_features"]

_FIRST = "site"


def feature_names() -> list[str]:
    """Names of the feature plugins (``beancan.<name>``), ``site`` first."""
    package = Path(__file__).parent
    names = sorted(p.parent.name for p in package.glob("*/plugin.py"))
    return sorted(names, key=lambda name: name != _FIRST)


def register_features() -> None:
    """Call ``register()`` of every feature plugin."""
    for name in feature_names():
        importlib.import_module(f"{__package__}.{name}").register()
