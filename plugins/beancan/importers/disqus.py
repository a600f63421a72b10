"""Disqus's XML export → old comments.

The export is a ``<disqus>`` document: ``<category>`` elements, then one
``<thread dsq:id>`` per page that had the widget (``link``, ``title``),
then every ``<post dsq:id>`` (a comment) naming its thread and, for a
reply, its parent by ``dsq:id``. Posts may come in any order relative to
their threads, so they are gathered first and attached at the end; only
the few fields Beancan shows are kept while streaming.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from lxml import etree

from ..dates import normalize_date
from ..errors import ExportFileError
from ._xml import Progress, child_texts, iter_elements, local_name, text_of
from .articles import slug_of_url
from .records import Export, OldComment, OldPost

__all__ = ["read_disqus"]

_DSQ_ID = "{http://disqus.com/disqus-internals}id"


def read_disqus(path: Path, progress: Progress | None = None) -> Export:
    """The threads with comments in a Disqus export; raises ExportFileError if it is not one."""
    threads: dict[str, OldPost] = {}
    posts: dict[str, list[OldComment]] = defaultdict(list)
    seen_root = False
    for element in iter_elements(path, {"disqus": 0, "thread": 1, "post": 1}, progress):
        name = local_name(element.tag)
        if name == "disqus":
            seen_root = True
        elif name == "thread":
            fields = child_texts(element)
            link = fields.get("link", "")
            threads[element.get(_DSQ_ID, "")] = OldPost(
                old_url=link, slug=slug_of_url(link), title=fields.get("title", "")
            )
        else:
            thread_id, comment = _post(element)
            posts[thread_id].append(comment)
    if not seen_root:
        raise ExportFileError(f"{path}: not a Disqus export (no <disqus> root element)")
    export = Export()
    for thread_id, comments in posts.items():
        thread = threads.get(thread_id)
        if thread is None:
            export.skipped["unmatched post"] += len(comments)
            continue
        thread.comments = comments
        export.posts.append(thread)
    return export


def _post(element: etree._Element) -> tuple[str, OldComment]:
    fields: dict[str, str] = {}
    refs: dict[str, str] = {}
    author: dict[str, str] = {}
    for child in element:
        name = local_name(child.tag)
        if name in ("thread", "parent"):
            refs[name] = child.get(_DSQ_ID, "")
        elif name == "author":
            # name and username only: the export's <email> is never read.
            author = {local_name(a.tag): text_of(a) for a in child if local_name(a.tag) != "email"}
        else:
            fields.setdefault(name, text_of(child))
    if fields.get("isSpam") == "true":
        status = "spam"
    elif fields.get("isDeleted") == "true":
        status = "deleted"
    else:
        status = "approved"
    comment = OldComment(
        id=element.get(_DSQ_ID, ""),
        parent=refs.get("parent", ""),
        kind="reply",
        status=status,
        author_name=author.get("name") or author.get("username", ""),
        author_url="",  # Disqus exports carry no commenter web site
        by_post_author=False,
        published=normalize_date(fields.get("createdAt", "")),
        content_html=fields.get("message", ""),
    )
    return refs.get("thread", ""), comment
