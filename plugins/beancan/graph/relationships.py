"""Relationships: what passed between our author and one person, both ways. Pure.

Strength (shown on the conversations page, used to rank and to place people
in the drawing)::

    strength = w_in + w_out + 2 × min(w_in, w_out) + 3 × conversations

``w_in`` and ``w_out`` add up the exchanges each way by kind (reply 3,
mention 2, repost 2, bookmark 1, rsvp 1, like 1): writing back counts more
than a click. ``min(w_in, w_out)`` rewards balance, so a mutual relationship
outranks a one-way one of the same volume; each conversation the two had
(a chain across both sites) counts like a reply. No decay with age: the
same data gives the same score whenever the site is built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import msgspec

from .conversations import Conversation
from .exchanges import Exchange

__all__ = ["KIND_WEIGHTS", "Relationship", "build_relationships", "strength"]

KIND_WEIGHTS = {"reply": 3, "mention": 2, "repost": 2, "bookmark": 1, "rsvp": 1, "like": 1}
BALANCE_WEIGHT = 2
CONVERSATION_WEIGHT = 3


def strength(w_in: float, w_out: float, conversations: int) -> float:
    """The documented strength formula (see the module docstring)."""
    score = w_in + w_out + BALANCE_WEIGHT * min(w_in, w_out)
    return round(score + CONVERSATION_WEIGHT * conversations, 1)


class Relationship(msgspec.Struct, frozen=True, gc=False):
    person: str
    inbound: tuple[Exchange, ...]
    outbound: tuple[Exchange, ...]
    conversations: tuple[str, ...]  # conversation ids
    strength: float

    @property
    def count_in(self) -> int:
        return len(self.inbound)

    @property
    def count_out(self) -> int:
        return len(self.outbound)

    @property
    def volume(self) -> int:
        return len(self.inbound) + len(self.outbound)

    @property
    def mutual(self) -> bool:
        return bool(self.inbound) and bool(self.outbound)

    @property
    def reciprocity(self) -> str:
        """ "mutual", "in" (only they respond to us) or "out" (only we respond to them)."""
        if self.mutual:
            return "mutual"
        return "in" if self.inbound else "out"

    @property
    def first(self) -> str:
        return min((e.date for e in (*self.inbound, *self.outbound) if e.date), default="")

    @property
    def last(self) -> str:
        return max((e.date for e in (*self.inbound, *self.outbound)), default="")

    def kinds(self, direction: str) -> Counter[str]:
        return Counter(e.kind for e in (self.inbound if direction == "in" else self.outbound))

    def timeline(self) -> list[Exchange]:
        """Everything exchanged, both ways, newest first."""
        return sorted((*self.inbound, *self.outbound), key=lambda e: e.sort_key, reverse=True)


def _weight(exchanges: Iterable[Exchange]) -> float:
    return sum(KIND_WEIGHTS.get(e.kind, 1) for e in exchanges)


def build_relationships(
    exchanges: Iterable[Exchange], conversations: Iterable[Conversation], me: str
) -> list[Relationship]:
    """One relationship per person, strongest first (ties: latest, then by URL)."""
    inbound: dict[str, list[Exchange]] = {}
    outbound: dict[str, list[Exchange]] = {}
    # The same response seen twice (e.g. a sent Webmention of a post that
    # also replies in its metadata) is one exchange.
    for exchange in dict.fromkeys(exchanges):
        if exchange.person == me:
            continue
        side = inbound if exchange.direction == "in" else outbound
        side.setdefault(exchange.person, []).append(exchange)
    shared: dict[str, list[str]] = {}
    for conversation in conversations:
        for person in conversation.people:
            if person != me and me in conversation.people:
                shared.setdefault(person, []).append(conversation.id)
    found = []
    for person in sorted(set(inbound) | set(outbound)):
        ins = tuple(sorted(inbound.get(person, ()), key=lambda e: e.sort_key))
        outs = tuple(sorted(outbound.get(person, ()), key=lambda e: e.sort_key))
        ids = tuple(sorted(shared.get(person, ())))
        score = strength(_weight(ins), _weight(outs), len(ids))
        found.append(Relationship(person, ins, outs, ids, score))
    found.sort(key=lambda r: (-r.strength, _negated(r.last), r.person))
    return found


def _negated(date: str) -> tuple[int, ...]:
    # Sort newest first inside an ascending sort without reversing ties.
    return tuple(-ord(ch) for ch in date)
