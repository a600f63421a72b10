"""The ``beancan.peers`` plugin: peer bloggers followed by their feeds, and a blogroll.

Collect (``invoke collect``) runs ``collect_peer_feeds``; the build writes
the peers page, ``blogroll.opml`` and the "From the neighbourhood" list.
"""

__all__ = ["register"]


def register() -> None:
    """Pelican's entry point for ``PLUGINS = ["beancan.peers"]``."""
    # Imported here, not at the top: the background process imports
    # ``peers.exchanges`` and has no use for Pelican (a fifth of a second).
    from .plugin import register as register_plugin

    register_plugin()
