"""Beancan: Pelican plugins and their shared core.

``PLUGINS = ["beancan"]`` turns on every feature; each feature is also a
Pelican plugin of its own (``beancan.site``, ``beancan.comments``, ...) that
can be listed alone. The modules beside them are the shared core (model,
store, URLs, sanitizer, HTTP) used by the plugins, the ``beancan`` command
and the receiver service alike.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "register"]


def register() -> None:
    """Pelican's entry point for ``PLUGINS = ["beancan"]``: register every feature plugin."""
    # Imported here: the receiver and the background process import this
    # package and have no use for Pelican.
    from .features import register_features

    register_features()
