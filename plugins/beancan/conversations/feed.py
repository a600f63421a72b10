"""The Atom feed of new conversations, written with feedgenerator (Pelican's own).

Deterministic: entry dates come from the data, and an empty feed says it was
updated at the Unix epoch rather than "now", so two builds give the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

from feedgenerator import Atom1Feed
from markupsafe import escape

from ..dates import parse_date
from .records import ConversationView

__all__ = ["conversations_feed"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _StableAtomFeed(Atom1Feed):
    def latest_post_date(self) -> datetime:
        dates = [i["updateddate"] or i["pubdate"] for i in self.items]
        return max((d for d in dates if d is not None), default=EPOCH)


def _summary(conversation: ConversationView) -> str:
    # An entry's HTML, in Python like the rest of the feed (Pelican writes its
    # feeds the same way); escaped as the templates are, by markupsafe.
    items = []
    for step in conversation.steps:
        text = step.title or step.excerpt or step.url
        items.append(
            f"<li>{escape(step.who.name)} ({escape(step.where)}, {escape(step.when.text)}): "
            f'<a href="{escape(step.url)}">{escape(text)}</a></li>'
        )
    more = f"<p>and {conversation.more_steps} more steps</p>" if conversation.more_steps else ""
    return f"<ol>{''.join(items)}</ol>{more}"


def conversations_feed(
    conversations: list[ConversationView], *, sitename: str, siteurl: str, feed_url: str,
    page_url: str,
) -> str:  # fmt: skip
    """The feed's XML, one entry per conversation, in the order given (newest first)."""
    feed = _StableAtomFeed(
        title=f"{sitename}: new conversations",
        link=page_url,
        description=f"Conversations across blogs with {sitename}",
        feed_url=feed_url,
        language="en",
        feed_guid=feed_url,
    )
    for conversation in conversations:
        started = parse_date(conversation.started.iso) or EPOCH
        updated = parse_date(conversation.updated.iso) or started
        feed.add_item(
            title=f"Conversation: {conversation.title}",
            link=conversation.link or page_url,
            description=_summary(conversation),
            unique_id=f"{siteurl}/conversations/#{conversation.id}",
            pubdate=started,
            updateddate=updated,
        )
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()
