"""Edges of the graph: who responded to whom, how and when. Pure functions.

Two things come out of the same inputs (the store's visible interactions and
our own posts):

* **exchanges**, one per response between our author and one other person,
  typed (reply, like, ...) and dated, in either direction;
* **documents**, the posts and comments that conversations are made of, each
  knowing what it answers (reply) or links to (mention).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..dates import normalize_date
from ..model import KINDS, Interaction
from ..urls import url_key
from .people import PeopleIndex

__all__ = [
    "RESPONSE_KINDS",
    "Document",
    "Exchange",
    "OwnPost",
    "collect",
    "excerpt",
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
class Exchange:
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


@dataclass(frozen=True, slots=True)
class Document:
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


def collect(
    interactions: Iterable[Interaction],
    own_posts: Iterable[OwnPost],
    people: PeopleIndex,
    *,
    key_of: Callable[[str], str] = url_key,
    sent: Iterable[Exchange] = (),
) -> Collected:
    """Exchanges and documents from the store and our own posts.

    * inbound: every visible interaction of someone else on our posts;
    * outbound: our posts' response metadata, links in our posts to people
      the graph already knows (a link to an unknown site is a citation, not
      an exchange), store records with direction "out" (our comments found
      on their blogs), and ``sent`` Webmentions.
    """
    result = Collected(exchanges=list(sent), documents={}, authored={}, parent_urls={})
    visible = sorted(
        (i for i in interactions if i.status == "approved" and i.kind in KINDS),
        key=lambda i: (i.sort_date, i.permalink, i.target),
    )
    for interaction in visible:
        _from_interaction(interaction, people, key_of, result)
    posts = sorted(own_posts, key=lambda p: (normalize_date(p.published), p.url))
    known = {e.person for e in result.exchanges}
    known.update(people.home_of(url) for post in posts for _, url in post.responses)
    for post in posts:
        _from_post(post, people, key_of, known, result)
    # What is answered but never seen itself (Rafe's post our reply answers)
    # is still a step: a document known only by its link.
    for document in list(result.documents.values()):
        for _, key in document.parents:
            if key not in result.documents:
                url = result.parent_urls[(document.key, key)]
                result.documents[key] = Document(key=key, url=url, person=people.home_of(url))
    result.exchanges.sort(key=lambda e: (e.person, *e.sort_key, e.direction))
    return result


def _from_interaction(
    interaction: Interaction,
    people: PeopleIndex,
    key_of: Callable[[str], str],
    result: Collected,
) -> None:
    url = interaction.permalink
    author = people.home_of(interaction.author.url or url)
    if not author:
        return
    by_me = author == people.me
    owner = people.home_of(interaction.target)
    text = excerpt(interaction.content_text)
    if interaction.direction == "out" or (by_me and owner != people.me):
        if owner and owner != people.me:
            result.exchanges.append(
                Exchange(
                    owner,
                    "out",
                    interaction.kind,
                    interaction.sort_date,
                    url,
                    interaction.target,
                    interaction.name,
                    text,
                )  # fmt: skip
            )
    elif not by_me:
        result.exchanges.append(
            Exchange(
                author,
                "in",
                interaction.kind,
                interaction.sort_date,
                url,
                interaction.target,
                interaction.name,
                text,
            )  # fmt: skip
        )
        result.authored.setdefault(author, []).append(interaction)
    if interaction.kind not in STEP_KINDS:
        return
    if interaction.kind == "reply":
        parents = [("reply", u) for u in interaction.in_reply_to or (interaction.target,)]
    else:
        parents = [("mention", interaction.target)]
    _add_document(
        result,
        key_of,
        people,
        Document(
            key=key_of(url),
            url=url,
            person=author,
            date=interaction.sort_date,
            title=interaction.name,
            excerpt=text,
            kind=interaction.kind,
        ),
        parents,
    )


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
        result,
        key_of,
        people,
        Document(
            key=key_of(post.url),
            url=post.url,
            person=people.me,
            date=published,
            title=post.title,
            excerpt=text,
            kind="post",
        ),
        links,
    )


def _add_document(
    result: Collected,
    key_of: Callable[[str], str],
    people: PeopleIndex,
    document: Document,
    links: list[tuple[str, str]],
) -> None:
    parents: dict[str, str] = {}
    for kind, url in links:
        # A link to someone's home page is a link to a person, not to a post.
        if people.is_home_page(url):
            continue
        key = key_of(url)
        if not key or key == document.key:
            continue
        # A document that both replies to and mentions a post replies to it.
        if parents.get(key) != "reply":
            parents[key] = kind
        result.parent_urls.setdefault((document.key, key), url)
    document = Document(
        key=document.key,
        url=document.url,
        person=document.person,
        date=document.date,
        title=document.title,
        excerpt=document.excerpt,
        kind=document.kind,
        parents=tuple(sorted((kind, key) for key, kind in parents.items())),
    )
    existing = result.documents.get(document.key)
    # One document seen twice (two targets of one source): keep every link it makes.
    if existing is not None:
        merged = dict((k, kind) for kind, k in existing.parents)
        for kind, key in document.parents:
            if merged.get(key) != "reply":
                merged[key] = kind
        document = Document(
            key=existing.key,
            url=existing.url,
            person=existing.person,
            date=min(filter(None, (existing.date, document.date)), default=""),
            title=existing.title or document.title,
            excerpt=existing.excerpt or document.excerpt,
            kind="reply" if "reply" in (existing.kind, document.kind) else existing.kind,
            parents=tuple(sorted((kind, key) for key, kind in merged.items())),
        )
    result.documents[document.key] = document
