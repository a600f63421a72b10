"""The ``beancan.peers`` plugin: peer bloggers followed by their feeds, and a blogroll.

Collect (``invoke collect``) runs ``collect_peer_feeds``; the build writes
the peers page, ``blogroll.opml`` and the "From the neighbourhood" list.
"""

from .plugin import register

__all__ = ["register"]
