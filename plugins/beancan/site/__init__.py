"""The ``beancan.site`` plugin: validates Beancan's settings when Pelican starts."""

from .plugin import register

__all__ = ["register"]
