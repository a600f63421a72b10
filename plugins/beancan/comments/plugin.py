"""Attach a comment section to every post, from the store and the site's own replies."""

from __future__ import annotations

import gc
import logging
import re
from collections import defaultdict
from collections.abc import Iterable

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from ..errors import StoreError
from ..model import Author, Interaction, make_interaction
from ..settings import BeancanSettings, get_settings
from ..store import InteractionStore, load_for_build
from ..threads import build_thread
from ..urls import SiteURLs
from .view import AvatarShelf, section_view

logger = logging.getLogger(__name__)

#: Metadata keys by which a post of ours responds to someone else's post.
RESPONSE_METADATA = {"in_reply_to": "reply", "like_of": "like", "repost_of": "repost",
                     "bookmark_of": "bookmark"}  # fmt: skip
_HREF = re.compile(r'href="([^"]+)"')


def metadata_urls(post, name: str) -> list[str]:
    """The URLs in one response metadata field (one URL, or several separated by commas)."""
    value = post.metadata.get(name)
    if not value:
        return []
    values = value if isinstance(value, list | tuple) else re.split(r"[,\s]+", str(value))
    return [v for v in (str(v).strip() for v in values) if v]


def own_interactions(posts: Iterable, site: SiteURLs, settings: BeancanSettings) -> list:
    """Our own posts as interactions: reply notes, and links from one post to another.

    A reply note nests under the comment it answers; a post linking another
    of ours (part 2 of a series linking part 1) shows there as a mention,
    like the "said:" pingbacks of old blogs.
    """
    author = Author(name=settings.author.get("name", ""), url=settings.author.get("url", ""))
    own_keys = {site.identity(site.absolute(p.url)) for p in posts}
    found = []
    for post in posts:
        url = site.absolute(post.url)
        common = dict(
            source=url, author=author, name=post.title, channels=("own",), status="approved",
            published=getattr(post, "date", None) or "",
            updated=getattr(post, "modified", None) or "",
        )  # fmt: skip
        replied = metadata_urls(post, "in_reply_to")
        if replied:
            found.append(
                make_interaction(
                    target=replied[0],
                    kind="reply",
                    in_reply_to=replied,
                    content_html=post.content,
                    **common,
                )  # fmt: skip
            )
        replied_keys = {site.identity(u) for u in replied}
        linked = {site.identity(h): h for h in _HREF.findall(post.content)}
        for key, href in sorted(linked.items()):
            if key in own_keys and key != site.identity(url) and key not in replied_keys:
                summary = getattr(post, "summary", "") or ""
                found.append(
                    make_interaction(target=href, kind="mention", content_html=summary, **common)
                )
    return found


def _place_own_replies(
    replies: list[Interaction], index: dict[str, str], post_keys: set[str], site: SiteURLs
) -> dict[str, list[Interaction]]:
    """Give each own reply the post whose thread holds what it answers.

    Replies can answer replies of ours (a note answering a comment that
    answered a note), so this repeats until nothing more can be placed.
    """
    placed: dict[str, list[Interaction]] = defaultdict(list)
    pending = list(replies)
    while pending:
        left = []
        for reply in pending:
            parents = [site.identity(u) for u in reply.in_reply_to]
            post = next((p for p in parents if p in post_keys), None) or next(
                (index[p] for p in parents if p in index), None
            )
            if post is None:
                left.append(reply)
                continue
            placed[post].append(reply)
            index[site.identity(reply.source)] = post
        if len(left) == len(pending):
            break  # the rest answer posts elsewhere: outbound replies, not comments
        pending = left
    return placed


def _fold_note_threads(
    grouped: dict[str, list[Interaction]], placed: dict[str, list[Interaction]], site: SiteURLs
) -> None:
    """Show replies to our reply notes in the thread where each note sits, too.

    Whoever answers one of our reply notes sends the Webmention to the note's
    own page (Webmention §3.1.2: the sender discovers the endpoint on the page
    it links), so the answer is grouped under the note; the note itself sits
    in another post's thread, and the conversation must read on there. The
    note's page keeps its replies as well.
    """
    home = {site.identity(r.source): post for post, replies in placed.items() for r in replies}
    for note in sorted(home):
        thread, seen = home[note], {note}
        while thread in home and thread not in seen:  # a note in a note's thread
            seen.add(thread)
            thread = home[thread]
        if thread == note:
            continue
        # A reply sent to the thread's post as well is there already: once is enough.
        shown = {site.identity(i.source) for i in grouped[thread] if i.kind == "reply"}
        for reply in grouped.get(note, ()):
            if reply.kind == "reply" and site.identity(reply.source) not in shown:
                grouped[thread].append(reply)


def attach_comment_sections(generators) -> None:
    # The collector would walk the growing heap of records and views again and
    # again while they are built; they all live to the end of the build anyway.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _attach_comment_sections(generators)
    finally:
        if was_enabled:
            gc.enable()


def _attach_comment_sections(generators) -> None:
    posts = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            posts += generator.articles + generator.translations
            settings_dict, output_path = generator.settings, generator.output_path
        elif isinstance(generator, PagesGenerator):
            posts += generator.pages + generator.translations + generator.hidden_pages
    if not posts:
        return
    gc.unfreeze()
    settings = get_settings(settings_dict)
    site = settings.site
    try:
        store = load_for_build(settings.data_dir, settings_dict)
    except StoreError as exc:
        logger.error("%s; comment sections are left empty until it is fixed", exc)
        store = InteractionStore(settings.data_dir)

    by_key = {site.identity(site.absolute(p.url)): p for p in posts}
    grouped: dict[str, list[Interaction]] = defaultdict(list)
    index: dict[str, str] = {}
    for interaction in store.visible():
        post_key = site.identity(interaction.target)
        if interaction.direction == "in" and post_key in by_key:
            grouped[post_key].append(interaction)
            index[site.identity(interaction.permalink)] = post_key
            index[site.identity(interaction.source)] = post_key
    own = own_interactions(posts, site, settings)
    for interaction in own:
        if interaction.kind == "mention" and site.identity(interaction.target) in by_key:
            grouped[site.identity(interaction.target)].append(interaction)
    own_replies = [i for i in own if i.kind == "reply"]
    placed = _place_own_replies(own_replies, index, set(by_key), site)
    for post_key, replies in placed.items():
        grouped[post_key] += replies
    _fold_note_threads(grouped, placed, site)

    author_keys = {site.identity(u) for u in settings.author_urls}

    def is_author(interaction: Interaction) -> bool:
        return "own" in interaction.channels or site.identity(interaction.author.url) in author_keys

    avatars = AvatarShelf(settings.data_dir, settings.siteurl)
    photo = settings.author.get("photo", "")
    own_avatar = site.absolute(photo) if photo else ""
    date_format = settings_dict.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
    for post_key, post in by_key.items():
        thread = build_thread(
            {post_key},
            grouped.get(post_key, ()),
            max_depth=settings.thread_max_depth,
            is_author=is_author,
            key_of=site.identity,
        )
        post.beancan = section_view(
            thread,
            post_url=site.absolute(post.url),
            avatars=avatars,
            date_format=date_format,
            max_chars=settings.comment_max_chars,
            facepile_limit=settings.facepile_limit,
            own_avatar=own_avatar,
            webmention_endpoint=settings.webmention_endpoint,
        )
    avatars.write(output_path)
    # Tens of thousands of long-lived records and views would otherwise be
    # walked by every full garbage collection for the rest of the build
    # (measured: most of this plugin's cost on a 20,000-response site). Freezing
    # keeps them out of those walks; the next build (--autoreload) unfreezes
    # first, so an old store can still be collected.
    gc.freeze()


def register() -> None:
    signals.all_generators_finalized.connect(attach_comment_sections)
