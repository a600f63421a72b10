"""Old comments of one matched post → Interactions, through ``make_interaction``.

* source: the comment's old permalink (``…/post/#comment-41``) in the form
  the store already gives comment links (``peers.comments.comment_source``:
  ``…/post/?replytocom=41``); a pingback's or trackback's source is the post
  that linked, so a later Webmention from it is the same record;
* in_reply_to: the parent comment's source, to any depth; the article's
  URL for a top-level comment. A parent that is not imported (spam, trash)
  is skipped over to its own parent, so the thread keeps its shape;
* the post author's own comments carry the author's URL (``BEANCAN_AUTHOR``),
  which is how comment sections mark the author's replies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..model import Author, Interaction, make_interaction
from ..peers.comments import comment_source
from ..settings import BeancanSettings
from ..urls import canonical_url, url_key
from .articles import SiteArticle
from .records import OWN_PINGBACK, OldComment, OldPost

__all__ = ["Converted", "SiteAuthor", "convert_post"]

#: ``seen_at`` of a comment the export gives no date for: any fixed value
#: keeps a second import byte-identical; "now" would not.
UNDATED = "1970-01-01T00:00:00+00:00"


@dataclass(frozen=True, slots=True)
class SiteAuthor:
    """The blog's author as settings name them, to recognize and mark their comments."""

    author: Author
    url_keys: frozenset[str]

    @classmethod
    def from_settings(cls, settings: BeancanSettings) -> SiteAuthor:
        url = settings.author.get("url", "") or (settings.siteurl.rstrip("/") + "/")
        return cls(
            Author(name=settings.author.get("name", ""), url=url),
            frozenset(url_key(u) for u in settings.author_urls),
        )

    def wrote(self, comment: OldComment) -> bool:
        return comment.by_post_author or (
            bool(comment.author_url) and url_key(comment.author_url) in self.url_keys
        )


@dataclass(frozen=True, slots=True)
class Converted:
    """One interaction to merge, with the date it is merged as seen at."""

    interaction: Interaction
    seen_at: str


def convert_post(
    post: OldPost,
    article: SiteArticle,
    author: SiteAuthor,
    moved_post: Callable[[str], bool] = lambda _: False,
) -> Iterator[Converted | str]:
    """Each comment of ``post`` as a Converted, or the reason it is skipped (a str).

    ``moved_post(url)`` says whether a URL is one of our own posts that is
    on the new site too: its pingbacks are skipped, since the build already
    shows that post's link as a mention and would show it twice.
    """
    base = post.old_url or article.url
    by_id = {c.id: c for c in post.comments if c.id}
    sources = {c.id: _source(c, base) for c in post.comments}
    for comment in post.comments:
        if comment.status not in ("approved", "pending"):
            yield comment.status
            continue
        if not comment.id:
            yield "no address"  # without an id it has no permalink of its own
            continue
        source = sources[comment.id]
        if comment.kind == "mention" and moved_post(source):
            yield OWN_PINGBACK
            continue
        parent = _shown_parent(comment, by_id)
        values = {
            "source": source,
            "target": article.url,
            "kind": comment.kind,
            "in_reply_to": [sources[parent.id] if parent else article.url],
            "published": comment.published,
            "first_seen": comment.published,
            "status": comment.status,
            "channels": ("import",),
            "content_html": comment.content_html,
        }
        if comment.kind == "mention":
            # "HOST mentioned this in TITLE": the linking post's title is what
            # WordPress kept as the pingback's author.
            values["name"] = comment.author_name
            values["author"] = Author(url=_home(source))
        elif author.wrote(comment):
            values["author"] = Author(
                name=author.author.name or comment.author_name, url=author.author.url
            )
        else:
            values["author"] = {"name": comment.author_name, "url": comment.author_url}
        try:
            interaction = make_interaction(**values)
        except ValueError:
            yield "no address"
            continue
        yield Converted(interaction, comment.published or UNDATED)


def _source(comment: OldComment, base: str) -> str:
    if comment.kind == "mention" and canonical_url(comment.author_url):
        return canonical_url(comment.author_url)
    return comment_source(f"{base}#comment-{comment.id}")


def _shown_parent(comment: OldComment, by_id: dict[str, OldComment]) -> OldComment | None:
    """The nearest ancestor that is imported; None for a top-level comment."""
    seen = {comment.id}
    parent = by_id.get(comment.parent)
    while parent is not None and parent.id not in seen:
        if parent.status in ("approved", "pending"):
            return parent
        seen.add(parent.id)
        parent = by_id.get(parent.parent)
    return None


def _home(url: str) -> str:
    clean = canonical_url(url)
    if not clean:
        return ""
    scheme, _, rest = clean.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}/"
