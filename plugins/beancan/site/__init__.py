"""The ``beancan.site`` plugin: settings, the package's templates, and any theme.

Validates Beancan's settings when Pelican starts, puts the package's
templates (``beancan/*.html``) after the theme's on the search path, and
places the comment section and Webmention links in themes that do not.
"""

from .plugin import register

__all__ = ["register"]
