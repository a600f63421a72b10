"""The relationship graph: people, exchanges both ways, conversations. Pure core.

Nothing here knows about Pelican or the network: the ``beancan.conversations``
plugin feeds it the store and our posts; the collect step fills the rel=me
cache it reads (``people.jsonl``).
"""

from .build import Graph, Person, build_graph, person_slug
from .conversations import Conversation, Step, find_conversations
from .exchanges import Document, Exchange, OwnPost, SentMention, collect, excerpt
from .people import PeopleIndex, PersonRecord, read_people, rel_me_links, write_people
from .relationships import KIND_WEIGHTS, Relationship, build_relationships, strength

__all__ = [
    "KIND_WEIGHTS",
    "Conversation",
    "Document",
    "Exchange",
    "Graph",
    "OwnPost",
    "PeopleIndex",
    "Person",
    "PersonRecord",
    "Relationship",
    "SentMention",
    "Step",
    "build_graph",
    "build_relationships",
    "collect",
    "excerpt",
    "find_conversations",
    "person_slug",
    "read_people",
    "rel_me_links",
    "strength",
    "write_people",
]
