"""The ``beancan.site`` plugin: validates Beancan's settings when Pelican starts, and
writes the link manifest ``send`` reads (``beancan.webmention.manifest``)."""

from .plugin import register

__all__ = ["register"]
