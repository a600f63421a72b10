"""The ``beancan.comments`` plugin: threaded comment sections under every post."""

from .plugin import register

__all__ = ["register"]
