"""Edges of the graph: who responded to whom, how and when. Pure functions.

Two things come out of the same inputs (the store's visible interactions and
our own posts):

* **exchanges**, one per response between our author and one other person,
  typed (reply, like, ...) and dated, in either direction;
* **documents**, the posts and comments that conversations are made of, each
  knowing what it answers (reply) or links to (mention).

Exchanges, documents and steps are msgspec structs, not dataclasses: a big
site makes a hundred thousand of each, and structs are built and hashed in C
and kept out of garbage collections (they hold only strings and tuples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import msgspec

from ..dates import normalize_date
from ..model import KINDS, Interaction
from ..urls import url_key
from .people import PeopleIndex

__all__ = [
    "RESPONSE_KINDS",
    "Document",
    "Exchange",
    "OwnPost",
    "SentMention",
    "excerpt",
    "gather_exchanges",
]

#: Kinds a post of ours can declare in its metadata (``in_reply_to`` → reply ...).
RESPONSE_KINDS = ("reply", "like", "repost", "bookmark")
#: Kinds that are turns in a conversation; likes, reposts, bookmarks and RSVPs
#: are reactions: they count in a relationship, but nobody answers a like.
STEP_KINDS = ("reply", "mention")
EXCERPT_CHARS = 200


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first ``limit`` characters of plain text, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


@dataclass(frozen=True, slots=True)
class OwnPost:
    """One of our posts or notes, as the graph needs it (no Pelican objects)."""

    url: str
    title: str = ""
    published: str = ""
    text: str = ""
    #: (kind, url) from ``in_reply_to`` / ``like_of`` / ``repost_of`` / ``bookmark_of``.
    responses: tuple[tuple[str, str], ...] = ()
    #: every link in the post's content, in order.
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SentMention:
    """A Webmention (or pingback) our site sent and the receiver accepted (sent log)."""

    source: str  # our post
    target: str  # their page
    date: str = ""  # when it was accepted


class Exchange(msgspec.Struct, frozen=True, gc=False):
    """One response between our author and one other person."""

    person: str  # the other person's home URL
    direction: str  # "in": they responded to us; "out": we responded to them
    kind: str
    date: str
    url: str  # the response itself
    target: str  # what it responded to
    title: str = ""
    excerpt: str = ""

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.date, self.url, self.target, self.kind)


class Document(msgspec.Struct, frozen=True, gc=False):
    """A post or comment somewhere, and what it answers."""

    key: str
    url: str
    person: str
    date: str = ""
    title: str = ""
    excerpt: str = ""
    #: "post" (ours), "reply", "mention", or "link" (only known from a link to it).
    kind: str = "link"
    #: (link kind, document key): "reply" or "mention".
    parents: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Collected:
    exchanges: list[Exchange]
    documents: dict[str, Document]
    #: person home URL → the interactions they wrote (for names and avatars).
    authored: dict[str, list[Interaction]]
    #: (document key, parent key) → the parent's URL as the document wrote it.
    parent_urls: dict[tuple[str, str], str]


def gather_exchanges(
    interactions: Iterable[Interaction],
    own_posts: Iterable[OwnPost],
    people: PeopleIndex,
    *,
    key_of: Callable[[str], str] = url_key,
    sent: Iterable[SentMention] = (),
) -> Collected:
    """Exchanges and documents from the store and our own posts.

    * inbound: every visible interaction of someone else on our posts;
    * outbound: our posts' response metadata, links in our posts to people
      the graph already knows (a link to an unknown site is a citation, not
      an exchange), store records with direction "out" (our comments found
      on their blogs), and ``sent`` Webmentions. A post counts once per
      person it responds to, however it was seen: its metadata, its links
      and the Webmentions sent for them are one exchange, not three.

    Exchanges come out in no particular order (``build_relationships`` sorts
    them); documents in a deterministic one.
    """
    result = Collected(exchanges=[], documents={}, authored={}, parent_urls={})
    visible = sorted(
        (i for i in interactions if i.status == "approved" and i.kind in KINDS),
        key=lambda i: (i.sort_date, i.url or i.source, i.target),
    )
    _from_interactions(visible, people, key_of, result)
    posts = sorted(own_posts, key=lambda p: (normalize_date(p.published), p.url))
    sent = sorted(set(sent), key=lambda m: (m.source, m.target))
    known = {e.person for e in result.exchanges}
    known.update(people.home_of(url) for post in posts for _, url in post.responses)
    # Someone we sent a Webmention to knows we linked them: that is an exchange.
    known.update(people.home_of(m.target) for m in sent)
    for post in posts:
        _from_post(post, people, key_of, known, result)
    _from_sent(sent, posts, people, key_of, result)
    # What is answered but never seen itself (Rafe's post our reply answers)
    # is still a step: a document known only by its link.
    for document in list(result.documents.values()):
        for _, key in document.parents:
            if key not in result.documents:
                url = result.parent_urls[(document.key, key)]
                result.documents[key] = Document(key=key, url=url, person=people.home_of(url))
    return result


def _from_interactions(
    visible: list[Interaction],
    people: PeopleIndex,
    key_of: Callable[[str], str],
    result: Collected,
) -> None:
    # The hot loop of a big build (100,000 interactions): names bound locally.
    me = people.me
    home_of = people.home_of
    exchanges = result.exchanges
    authored = result.authored
    for interaction in visible:
        url = interaction.url or interaction.source
        author = home_of(interaction.author.url or url)
        if not author:
            continue
        kind = interaction.kind
        date = interaction.published or interaction.first_seen
        owner = home_of(interaction.target)
        text = excerpt(interaction.content_text)
        if interaction.direction == "out" or (author == me and owner != me):
            if owner and owner != me:
                exchanges.append(
                    Exchange(owner, "out", kind, date, url, interaction.target,
                             interaction.name, text)
                )  # fmt: skip
        elif author != me:
            exchanges.append(
                Exchange(author, "in", kind, date, url, interaction.target, interaction.name, text)
            )
            authored.setdefault(author, []).append(interaction)
        if kind == "reply":
            parents = [("reply", u) for u in interaction.in_reply_to or (interaction.target,)]
        elif kind == "mention":
            parents = [("mention", interaction.target)]
        else:  # reactions are not turns in a conversation (STEP_KINDS)
            continue
        _add_document(
            result, key_of, people, key_of(url), url, author, date, interaction.name, text,
            kind, parents,
        )  # fmt: skip


def _from_post(
    post: OwnPost,
    people: PeopleIndex,
    key_of: Callable[[str], str],
    known: set[str],
    result: Collected,
) -> None:
    text = excerpt(post.text)
    published = normalize_date(post.published)
    answered: set[str] = set()
    for kind, url in post.responses:
        owner = people.home_of(url)
        if owner and owner != people.me:
            result.exchanges.append(
                Exchange(owner, "out", kind, published, post.url, url, post.title, text)
            )
            answered.add(owner)
    links: list[tuple[str, str]] = [("reply", u) for k, u in post.responses if k == "reply"]
    for url in dict.fromkeys(post.links):
        owner = people.home_of(url)
        if not owner or owner == people.me or owner not in known:
            continue
        if owner not in answered:
            # One mention per person and post, however many times it links them.
            result.exchanges.append(
                Exchange(owner, "out", "mention", published, post.url, url, post.title, text)
            )
            answered.add(owner)
        links.append(("mention", url))
    _add_document(
        result, key_of, people, key_of(post.url), post.url, people.me, published, post.title,
        text, "post", links,
    )  # fmt: skip


def _from_sent(
    sent: list[SentMention],
    posts: list[OwnPost],
    people: PeopleIndex,
    key_of: Callable[[str], str],
    result: Collected,
) -> None:
    """Sent Webmentions not already counted from the post that sent them.

    The sent log holds one entry per link; a post counts once per person
    (see ``gather_exchanges``), so most entries are already there. What is left is a
    post no longer in the site's content, or a link the content did not show.
    """
    counted = {(e.person, key_of(e.url)) for e in result.exchanges if e.direction == "out"}
    by_key = {key_of(post.url): post for post in posts}
    for mention in sent:
        owner = people.home_of(mention.target)
        source = key_of(mention.source)
        if not owner or owner == people.me or (owner, source) in counted:
            continue
        counted.add((owner, source))
        post = by_key.get(source)
        if post is None:
            exchange = Exchange(owner, "out", "mention", normalize_date(mention.date),
                                mention.source, mention.target)  # fmt: skip
        else:
            target = key_of(mention.target)
            kind = next((k for k, u in post.responses if key_of(u) == target), "mention")
            exchange = Exchange(owner, "out", kind, normalize_date(post.published), post.url,
                                mention.target, post.title, excerpt(post.text))  # fmt: skip
        result.exchanges.append(exchange)


def _add_document(
    result: Collected,
    key_of: Callable[[str], str],
    people: PeopleIndex,
    key: str,
    url: str,
    person: str,
    date: str,
    title: str,
    text: str,
    kind: str,
    links: list[tuple[str, str]],
) -> None:
    parents: dict[str, str] = {}
    for link_kind, link in links:
        # A link to someone's home page is a link to a person, not to a post.
        if people.is_home_page(link):
            continue
        parent = key_of(link)
        if not parent or parent == key:
            continue
        # A document that both replies to and mentions a post replies to it.
        if parents.get(parent) != "reply":
            parents[parent] = link_kind
        result.parent_urls.setdefault((key, parent), link)
    existing = result.documents.get(key)
    # One document seen twice (two targets of one source): keep every link it makes.
    if existing is not None:
        merged = {k: link_kind for link_kind, k in existing.parents}
        for parent, link_kind in parents.items():
            if merged.get(parent) != "reply":
                merged[parent] = link_kind
        parents = merged
        date = min(filter(None, (existing.date, date)), default="")
        url, title = existing.url, existing.title or title
        text = existing.excerpt or text
        kind = "reply" if "reply" in (existing.kind, kind) else existing.kind
        person = existing.person
    result.documents[key] = Document(
        key, url, person, date, title, text, kind,
        tuple(sorted((link_kind, k) for k, link_kind in parents.items())),
    )  # fmt: skip
