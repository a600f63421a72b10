"""``blogroll.opml``: the peers as an OPML 2.0 subscription list (http://opml.org/spec2.opml).

The same inputs give byte-identical output: no creation date, peers in a
fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from .peer_views import PeerView

__all__ = ["blogroll_opml"]

#: OPML 2.0 §"type": subscription lists use type="rss" for any feed format.
FEED_TYPES = ("atom", "rss", "json")


def blogroll_opml(
    peers: Iterable[PeerView], *, title: str, owner_name: str = "", owner_id: str = ""
) -> bytes:
    """The OPML document, UTF-8 encoded.

    Peers whose feed is known are ``type="rss"`` outlines (``text``,
    ``xmlUrl``, ``htmlUrl``); the others, h-feed pages included, which feed
    readers cannot subscribe to, are ``type="link"`` outlines with ``url``.
    """
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    if owner_name:
        etree.SubElement(head, "ownerName").text = owner_name
    if owner_id:
        etree.SubElement(head, "ownerId").text = owner_id
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for peer in peers:
        outline = etree.SubElement(body, "outline")
        outline.set("text", peer.name)
        outline.set("title", peer.name)
        if peer.feed and peer.feed_type in FEED_TYPES + ("",):
            outline.set("type", "rss")
            outline.set("xmlUrl", peer.feed)
            outline.set("htmlUrl", peer.url)
        else:
            outline.set("type", "link")
            outline.set("url", peer.url)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
