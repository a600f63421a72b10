"""The relationship graph: people, exchanges both ways, conversations. Pure core.

Nothing here knows about Pelican or the network: the ``beancan.conversations``
plugin feeds it the store and our posts; the collect step
(``beancan.people_collect``) fetches home pages and fills the rel=me cache
it reads (``people.jsonl``).
"""

from .build import Graph, Person, build_graph, person_slug
from .conversations import Conversation, Step, find_conversations
from .exchanges import Document, Exchange, OwnPost, SentMention, excerpt, gather_exchanges
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
    "excerpt",
    "find_conversations",
    "gather_exchanges",
    "person_slug",
    "read_people",
    "rel_me_links",
    "strength",
    "write_people",
]
