"""Beancan: Pelican plugins and their shared core.

Each feature is a Pelican plugin of its own (``beancan.site``,
``beancan.comments``, ...); the modules beside them are the shared core
(model, store, URLs, sanitizer, HTTP) used by the plugins, the tasks and the
receiver service alike.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
