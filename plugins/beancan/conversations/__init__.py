"""The ``beancan.conversations`` plugin: the relationship graph, person pages and a feed."""

from .plugin import register

__all__ = ["register"]
