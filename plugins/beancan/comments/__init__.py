"""The ``beancan.comments`` plugin: threaded comment sections under every post."""

__all__ = ["register"]


def register() -> None:
    # Imported here, not at the top: the background process imports modules
    # of this package and has no use for Pelican (a fifth of a second).
    from .plugin import register as register_plugin

    register_plugin()
