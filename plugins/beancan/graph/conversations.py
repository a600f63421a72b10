"""Conversations: chains of replies and mentions that cross between sites. Pure.

The rule, in full:

1. Documents (posts, comments, notes) are joined by the links they make: a
   reply joins what it answers; a mention joins what it links to, but only
   across people: linking your own older post starts no conversation.
   Likes, reposts, bookmarks and RSVPs join nothing (see ``exchanges``).
   A link to someone's home page joins nothing either: it points at a
   person, not at something they said.
2. A conversation is one connected group of documents written by at least
   two people (sites). Branches (two replies to one comment) stay in one
   conversation; loops (A answers B, B answers A) cannot repeat a step.
3. Steps are in time order; a document known only from a link to it (the
   post our reply answers) has no date and comes just before the first step
   that links to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import msgspec

from .exchanges import Document

__all__ = ["Conversation", "Step", "find_conversations"]


class Step(msgspec.Struct, frozen=True, gc=False):
    url: str
    person: str
    kind: str
    date: str
    title: str
    excerpt: str
    #: indexes (in ``Conversation.steps``) of the earlier steps this one answers.
    answers: tuple[int, ...] = ()
    #: 1 for an opening step; 1 + the deepest step it answers otherwise.
    depth: int = 1


class Conversation(msgspec.Struct, frozen=True, gc=False):
    #: stable while the conversation grows: derived from its first step.
    id: str
    steps: tuple[Step, ...]
    #: home URLs of everyone who took part, in order of their first step.
    people: tuple[str, ...]

    @property
    def started(self) -> str:
        return next((s.date for s in self.steps if s.date), "")

    @property
    def updated(self) -> str:
        return max((s.date for s in self.steps), default="")

    @property
    def sites(self) -> int:
        return len(self.people)

    def longest_chain(self) -> tuple[Step, ...]:
        """The deepest run of answers (the back-and-forth), first step first."""
        if not self.steps:
            return ()
        index = max(range(len(self.steps)), key=lambda i: (self.steps[i].depth, -i))
        chain = [index]
        while self.steps[chain[-1]].answers:
            step = self.steps[chain[-1]]
            chain.append(max(step.answers, key=lambda i: (self.steps[i].depth, -i)))
        return tuple(self.steps[i] for i in reversed(chain))


def _components(documents: Mapping[str, Document]) -> list[list[str]]:
    parent = {key: key for key in documents}

    def find(key: str) -> str:
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:  # path compression keeps big graphs fast
            parent[key], key = root, parent[key]
        return root

    for key in sorted(documents):
        document = documents[key]
        for kind, other in document.parents:
            if other not in documents:
                continue
            if kind == "mention" and documents[other].person == document.person:
                continue
            a, b = find(key), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for key in sorted(documents):
        groups.setdefault(find(key), []).append(key)
    return list(groups.values())


def _effective_dates(keys: list[str], documents: Mapping[str, Document]) -> dict[str, str]:
    dates = {key: documents[key].date for key in keys}
    for key in keys:
        for _, other in documents[key].parents:
            if other in dates and not documents[other].date and dates[key]:
                current = dates[other]
                dates[other] = min(current, dates[key]) if current else dates[key]
    return dates


def _conversation(keys: list[str], documents: Mapping[str, Document]) -> Conversation:
    dates = _effective_dates(keys, documents)
    # Undated documents sort just before what links to them (0 before 1).
    order = sorted(keys, key=lambda k: (dates[k], 1 if documents[k].date else 0, k))
    position = {key: i for i, key in enumerate(order)}
    steps: list[Step] = []
    for i, key in enumerate(order):
        document = documents[key]
        answers = sorted(
            {position[o] for _, o in document.parents if o in position and position[o] < i}
        )
        depth = 1 + max((steps[a].depth for a in answers), default=0)
        steps.append(
            Step(
                url=document.url,
                person=document.person,
                kind=document.kind,
                date=document.date,
                title=document.title,
                excerpt=document.excerpt,
                answers=tuple(answers),
                depth=depth,
            )
        )
    people = tuple(dict.fromkeys(s.person for s in steps))
    digest = hashlib.sha256(order[0].encode("utf-8")).hexdigest()[:12]
    return Conversation(id=f"c-{digest}", steps=tuple(steps), people=people)


def find_conversations(
    documents: Iterable[Document] | Mapping[str, Document],
) -> list[Conversation]:
    """Every conversation among ``documents``, the most recently active first."""
    if not isinstance(documents, Mapping):
        documents = {d.key: d for d in documents}
    found = []
    for keys in _components(documents):
        if len(keys) < 2 or len({documents[k].person for k in keys}) < 2:
            continue
        found.append(_conversation(keys, documents))
    found.sort(key=lambda c: (c.updated, c.started, c.id), reverse=True)
    return found
