"""Attach a comment section to every post, from the store and the site's own replies."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from ..background import Background, close_build_jobs, wanted
from ..errors import StoreError
from ..links import post_links
from ..model import Author, Interaction, make_interaction
from ..settings import BeancanSettings, get_settings
from ..urls import SiteURLs, metadata_urls
from .prerender import RenderedAhead, render_options, rendered_here, same_both_ways, with_url
from .sections import Sectioner, SectionOptions, StoreSections, no_sections, store_sections

logger = logging.getLogger(__name__)

#: Metadata keys by which a post of ours responds to someone else's post.
RESPONSE_METADATA = {"in_reply_to": "reply", "like_of": "like", "repost_of": "repost",
                     "bookmark_of": "bookmark"}  # fmt: skip


def own_interactions(posts: Iterable, site: SiteURLs, settings: BeancanSettings,
                     own_keys: set[str]) -> list:  # fmt: skip
    """Our own posts as interactions: reply notes, and links from one post to another.

    A reply note nests under the comment it answers; a post linking another
    of ours (part 2 of a series linking part 1) shows there as a mention,
    like the "said:" pingbacks of old blogs. ``own_keys`` are the identities
    of our posts' URLs.
    """
    author = Author(name=settings.author.get("name", ""), url=settings.author.get("url", ""))
    found = []
    for post in posts:
        url, links = post_links(post, site)
        replied = metadata_urls(post.metadata, "in_reply_to")
        if not replied and not links:
            continue
        common = dict(
            source=url, author=author, name=post.title, channels=("own",), status="approved",
            published=getattr(post, "date", None) or "",
            updated=getattr(post, "modified", None) or "",
        )  # fmt: skip
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
        linked = {site.identity(h): h for h in links}
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
        for reply in grouped[note]:
            if reply.kind == "reply" and site.identity(reply.source) not in shown:
                grouped[thread].append(reply)


RENDERED_AHEAD = "Beancan: the store's comment sections were rendered ahead"

#: the attribute of a run's ArticlesGenerator that holds its store_sections job:
#: kept with the run, never in module state (``--autoreload`` runs again).
_JOB = "_beancan_store_sections"


def _options(settings_dict: dict, env=None) -> tuple[BeancanSettings, SectionOptions]:
    settings = get_settings(settings_dict)
    date_format = settings_dict.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
    render = render_options(env) if env is not None else None
    return settings, SectionOptions.of(settings, date_format, render)


def start_store_sections(generator) -> None:
    """When a build starts, set the store's half of the work going beside it."""
    settings, options = _options(generator.settings, generator.env)
    setattr(
        generator,
        _JOB,
        Background(store_sections, options, enabled=wanted(settings), build=generator.settings),
    )


def attach_comment_sections(generators) -> None:
    """Give every article and page its comment section (``post.beancan``)."""
    posts = []
    job: Background[StoreSections] | None = None
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            posts += generator.articles + generator.translations
            settings_dict, output_path = generator.settings, generator.output_path
            env = generator.env
            job = getattr(generator, _JOB, None)
            setattr(generator, _JOB, None)
        elif isinstance(generator, PagesGenerator):
            posts += generator.pages + generator.translations + generator.hidden_pages
    if not posts:
        if job is not None:
            job.cancel()
        return
    settings, options = _options(settings_dict)
    job = job or Background(store_sections, options, enabled=False)
    try:
        prepared = job.result()
    except StoreError as exc:
        logger.error("%s; comment sections are left empty until it is fixed", exc)
        prepared = no_sections(options)
    site = settings.site

    by_key = {site.identity(post_links(p, site).url): p for p in posts}
    index = {k: v for k, v in prepared.index.items() if v in by_key}
    # Our own posts add to the threads of a few posts: those are rendered
    # again here, with the store's responses and ours together.
    grouped: dict[str, list[Interaction]] = _Grouped(prepared.responses_of)
    own = own_interactions(posts, site, settings, set(by_key))
    for interaction in own:
        if interaction.kind == "mention" and site.identity(interaction.target) in by_key:
            grouped[site.identity(interaction.target)].append(interaction)
    own_replies = [i for i in own if i.kind == "reply"]
    placed = _place_own_replies(own_replies, index, set(by_key), site)
    for post_key, replies in placed.items():
        grouped[post_key] += replies
    _fold_note_threads(grouped, placed, site)

    sectioner = Sectioner(options, prepared.avatars)
    empty = prepared.empty or sectioner.section("", [])
    for post_key, post in by_key.items():
        url = post_links(post, site).url
        if post_key in grouped:
            post.beancan = sectioner.section(post_key, grouped[post_key], url)
        else:
            section = prepared.sections.get(post_key, empty)
            post.beancan = with_url(section, url, prepared.marker)
    if prepared.marker:
        logger.debug(RENDERED_AHEAD)
        _check_rendered_ahead(env, by_key.values())
    sectioner.avatars.write(output_path)


def _check_rendered_ahead(env, posts: Iterable) -> None:
    """Render one section rendered ahead here too; on any difference, render all here."""
    sample = next((p.beancan for p in posts if isinstance(p.beancan, RenderedAhead)), None)
    if sample is None or same_both_ways(env, sample):
        return
    logger.debug("Comment sections rendered ahead differ from the build's; rendering them here")
    for post in posts:
        if isinstance(post.beancan, RenderedAhead):
            post.beancan = rendered_here(post.beancan)


class _Grouped(dict):
    """Post key → responses, each list fetched from the store's half on first use."""

    def __init__(self, responses_of) -> None:
        super().__init__()
        self._responses_of = responses_of

    def __missing__(self, post_key: str) -> list[Interaction]:
        found = self[post_key] = self._responses_of(post_key)
        return found


def register() -> None:
    signals.article_generator_init.connect(start_store_sections)
    signals.all_generators_finalized.connect(attach_comment_sections)
    # The build's second process ends with it (each plugin connects the same, once).
    signals.finalized.connect(close_build_jobs)
