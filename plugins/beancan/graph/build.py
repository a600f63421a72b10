"""The whole relationship graph from the store and our posts, in one pure call."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import msgspec

from ..model import Interaction
from ..urls import host_of, url_key
from .conversations import Conversation, find_conversations
from .exchanges import OwnPost, SentMention, gather_exchanges
from .people import PeopleIndex
from .relationships import Relationship, build_relationships

__all__ = ["Graph", "Person", "build_graph", "person_slug"]

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


class Person(msgspec.Struct, frozen=True, gc=False):
    url: str  # home page: the person's identity
    name: str
    slug: str
    #: file name of a cached avatar under ``<data>/avatars`` ("" if none).
    avatar: str = ""
    aliases: tuple[str, ...] = ()
    is_me: bool = False

    @property
    def host(self) -> str:
        return host_of(self.url)


@dataclass(slots=True)
class Graph:
    me: Person
    people: dict[str, Person]  # home URL → Person, everyone with an exchange (and us)
    relationships: list[Relationship]  # strongest first
    conversations: list[Conversation]  # most recently active first
    by_person: dict[str, Relationship] = field(default_factory=dict)
    _taking_part: dict[str, list[Conversation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_person = {r.person: r for r in self.relationships}
        for conversation in self.conversations:
            for person in conversation.people:
                self._taking_part.setdefault(person, []).append(conversation)

    def conversations_of(self, person: str) -> list[Conversation]:
        """Every conversation ``person`` took part in, most recently active first."""
        return list(self._taking_part.get(person, ()))


def person_slug(url: str) -> str:
    """``https://social.example/@samk`` → ``social-example-samk``."""
    return _SLUG_CHARS.sub("-", url_key(url).lower()).strip("-") or "person"


def _unique_slugs(urls: Iterable[str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for url in sorted(urls, key=url_key):
        slug = person_slug(url)
        if slug in taken:
            slug = f"{slug}-{hashlib.sha256(url_key(url).encode()).hexdigest()[:6]}"
        taken.add(slug)
        slugs[url] = slug
    return slugs


def _identity(home: str, written: list[Interaction]) -> tuple[str, str]:
    """Name and avatar: from the latest thing they wrote from their home address,
    else from the latest thing at all (a relay's copy of their profile)."""
    home_key = url_key(home)
    ordered = sorted(written, key=lambda i: (i.sort_date, i.permalink), reverse=True)
    ordered.sort(key=lambda i: url_key(i.author.url) != home_key)  # stable: home first
    name = next((i.author.name for i in ordered if i.author.name), "")
    avatar = next((i.avatar for i in ordered if i.avatar), "")
    return name or host_of(home), avatar


def build_graph(
    interactions: Iterable[Interaction],
    own_posts: Iterable[OwnPost],
    people: PeopleIndex,
    *,
    me_name: str = "",
    key_of: Callable[[str], str] = url_key,
    sent: Iterable[SentMention] = (),
) -> Graph:
    """People, relationships and conversations. Same inputs, same graph."""
    collected = gather_exchanges(interactions, own_posts, people, key_of=key_of, sent=sent)
    conversations = find_conversations(collected.documents)
    relationships = build_relationships(collected.exchanges, conversations, people.me)
    homes = [r.person for r in relationships]
    for conversation in conversations:
        homes.extend(conversation.people)
    homes = sorted(set(homes) - {people.me}, key=url_key)
    slugs = _unique_slugs(homes)
    persons = {}
    for home in homes:
        name, avatar = _identity(home, collected.authored.get(home, []))
        aliases = tuple(people.aliases_of(home))
        persons[home] = Person(home, name, slugs[home], avatar, aliases)
    me = Person(people.me, me_name or host_of(people.me), "", "", (), True)
    persons[people.me] = me
    return Graph(me, persons, relationships, conversations)
