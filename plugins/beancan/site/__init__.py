"""The ``beancan.site`` plugin: settings, the package's templates, any theme, the link manifest.

Validates Beancan's settings when Pelican starts, puts the package's
templates (``beancan/*.html``) after the theme's on the search path, places
the comment section and Webmention links in themes that do not, and writes
the link manifest ``send`` reads (``beancan.webmention.manifest``).
"""

__all__ = ["register"]


def register() -> None:
    # Imported here, not at the top: the background process renders the
    # package's templates (``portable.py``) and has no use for Pelican.
    from .plugin import register as register_plugin

    register_plugin()
