"""The ``beancan.gone`` plugin: what a static host needs to answer 410 Gone for deleted posts."""

from .plugin import register

__all__ = ["register"]
